package dev.natcheck.behavior;

import static dev.natcheck.address.AddressText.format;

import dev.natcheck.behavior.Finding.Reason;
import dev.natcheck.probe.Deadline;
import dev.natcheck.probe.Family;
import dev.natcheck.probe.Notes;
import dev.natcheck.stun.ChangeRequest;
import dev.natcheck.transaction.Endpoint;
import dev.natcheck.transaction.Outcome;
import dev.natcheck.transaction.Pacer;
import dev.natcheck.transaction.Request;
import dev.natcheck.transaction.Response;
import dev.natcheck.transaction.Schedule;
import dev.natcheck.transaction.Transaction;
import dev.natcheck.transaction.TransactionLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 5780 NAT behaviour discovery for one local address against a STUN server that offers
 * OTHER-ADDRESS: mapping (section 4.3), filtering (4.4), hairpinning (3.4), a generic ALG (3.6),
 * and the RFC 3489 name derived from them.
 *
 * <h2>Sequencing</h2>
 * Three sockets, each on a fresh random port:
 * <ul>
 * <li><b>filtering</b> (F): test I, the control, to the primary address; once it is answered,
 *     test II (change IP and port) and test III (change port), both to the primary address too,
 *     so this socket never sends to an address a changed answer comes from; afterwards, if II or
 *     III stayed silent, a closing control.
 * <li><b>mapping</b> (M): test I to the primary address; once answered, test II to (alternate
 *     IP, primary port), III to (alternate IP, alternate port) and IV to (primary IP, alternate
 *     port). III and IV also prove that the two addresses filtering answers come from can reach
 *     us at all.
 * <li><b>hairpin</b> (H): once F's mapping is known, a Binding Request to it; F receiving it
 *     means the NAT hairpins.
 * </ul>
 * Tests on different sockets run in parallel; the filtering socket is fresh, so nothing another
 * test does can open its NAT binding (RFC 5780 section 4.1). Every new transaction waits for its
 * slot from the shared {@link Pacer} (RFC 5780 section 5). A server without a usable
 * OTHER-ADDRESS gives "not supported by server"; then the next server in the list is tried, and
 * only the last one runs the tests that need no OTHER-ADDRESS (hairpin, ALG) regardless.
 *
 * <h2>Loss</h2>
 * Until a round trip is measured, requests go out on {@link Schedule#control()}; every later
 * transaction gets {@link Schedule#afterRtt}, a window of max(4 x RTT, 200 ms) with ten sends. A
 * verdict that rests on silence needs the proofs {@link FilteringRule} and {@link HairpinRule}
 * list; without them the answer is "inconclusive", never a wrong class.
 */
public final class BehaviorDiscovery {

    private static final Logger log = LoggerFactory.getLogger(BehaviorDiscovery.class);
    /** How long the mapping socket waits for the filtering control before starting anyway. */
    private static final Duration MAPPING_HEAD_START = Duration.ofMillis(150);

    private final Pacer pacer;

    public BehaviorDiscovery(Pacer pacer) {
        this.pacer = pacer;
    }

    /** The pacer every transaction of this discovery waits for. */
    public Pacer pacer() {
        return pacer;
    }

    /**
     * Runs the tests from {@code local} against the first of {@code servers} that offers
     * OTHER-ADDRESS, all by {@code deadline}.
     */
    public BehaviorReport discover(InetAddress local, List<InetSocketAddress> servers, Deadline deadline)
            throws InterruptedException {
        long start = System.nanoTime();
        Notes notes = new Notes();
        Family family = Family.of(local);
        List<InetSocketAddress> candidates =
                servers.stream().filter(s -> family.contains(s.getAddress())).toList();
        if (candidates.isEmpty()) {
            notes.add("no STUN server with an " + family.wireName() + " address to run the behaviour tests against");
            return unreachable(Optional.empty(), notes, start, Reason.NO_UDP_ANSWER, "no server");
        }
        for (int i = 0; i < candidates.size(); i++) {
            boolean last = i == candidates.size() - 1 || deadline.expired();
            // A server that never answers may hold only its share of the time, so the others
            // still get theirs; the last one gets all that is left.
            Duration controlBudget = Duration.ofNanos(deadline.remainingNanos() / (candidates.size() - i));
            Session session = new Session(local, family, candidates.get(i), notes, last, controlBudget);
            Optional<BehaviorReport> report = session.run(deadline, start);
            if (report.isPresent()) {
                return report.get();
            }
            notes.add(format(candidates.get(i))
                    + (session.abandoned ? " offers no usable OTHER-ADDRESS" : " did not answer") + "; trying "
                    + format(candidates.get(i + 1)));
        }
        throw new IllegalStateException("the last server always yields a report");
    }

    private static BehaviorReport unreachable(
            Optional<InetSocketAddress> server, Notes notes, long start, Reason reason, String detail) {
        return unreachable(server, notes, start, reason, detail, List.of());
    }

    private static BehaviorReport unreachable(
            Optional<InetSocketAddress> server,
            Notes notes,
            long start,
            Reason reason,
            String detail,
            List<String> evidence) {
        return new BehaviorReport(
                server,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Finding.unknown(reason, detail),
                Finding.unknown(reason, detail),
                Finding.unknown(reason, detail),
                Finding.unknown(reason, detail),
                reason == Reason.NO_UDP_ANSWER && server.isPresent()
                        ? Finding.measured(Rfc3489Type.BLOCKED)
                        : Finding.unknown(reason, detail),
                Optional.empty(),
                Optional.empty(),
                evidence,
                notes.lines(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** The tests against one server. */
    private final class Session {

        private final InetAddress local;
        private final Family family;
        private final InetSocketAddress server;
        private final Notes notes;
        private final boolean last;
        private final Duration controlBudget;

        private final SplittableRandom random = new SplittableRandom();
        private TransactionLoop loop;
        private Endpoint filteringPort;
        private Endpoint mappingPort;
        private Transaction filteringI;
        private Transaction filteringII;
        private Transaction filteringIII;
        private Transaction closing;
        private Transaction mappingI;
        private Transaction mappingII;
        private Transaction mappingIII;
        private Transaction mappingIV;
        private Transaction hairpin;
        private Optional<InetSocketAddress> other = Optional.empty();
        private Optional<InetSocketAddress> mappingOther = Optional.empty();
        private Optional<Duration> rtt = Optional.empty();
        private boolean abandoned;
        private boolean lossSeen;

        Session(
                InetAddress local,
                Family family,
                InetSocketAddress server,
                Notes notes,
                boolean last,
                Duration controlBudget) {
            this.local = local;
            this.family = family;
            this.server = server;
            this.notes = notes;
            this.last = last;
            this.controlBudget = controlBudget;
        }

        /** The report, or empty when the server has no OTHER-ADDRESS and another server should be tried. */
        Optional<BehaviorReport> run(Deadline deadline, long start) throws InterruptedException {
            try (TransactionLoop running = new TransactionLoop(pacer, ignored -> notes.add(ignored.toString()))) {
                loop = running;
                filteringPort = loop.openOnRandomPort("filtering", local, Optional.empty());
                mappingPort = loop.openOnRandomPort("mapping", local, Optional.empty());
                filteringI =
                        Transaction.binding("filtering test I (control)", filteringPort, server, controlSchedule());
                mappingI = Transaction.binding("mapping test I", mappingPort, server, controlSchedule());
                loop.submit(filteringI);
                // The filtering tests wait for the longest silence, so their slots come first: the
                // mapping socket starts once the control is answered, or after a while regardless.
                loop.submitAt(mappingI, System.nanoTime() + MAPPING_HEAD_START.toNanos());
                loop.run(deadline.nanos(), this::settled);
            } catch (IOException e) {
                notes.add("behaviour tests against " + format(server) + " failed: " + e.getMessage());
                return Optional.of(unreachable(
                        Optional.of(server), notes, start, Reason.INCONCLUSIVE, "socket error: " + e.getMessage()));
            }
            if (abandoned) {
                return Optional.empty();
            }
            boolean answered =
                    filteringI.answer().isPresent() || mappingI.answer().isPresent();
            if (!answered && !last) {
                return Optional.empty();
            }
            return Optional.of(report(start));
        }

        private Schedule controlSchedule() {
            Schedule schedule = last ? Schedule.control() : Schedule.control().within(controlBudget);
            return schedule.drifted(random);
        }

        private Schedule probeSchedule() {
            return Schedule.afterRtt(rtt.orElse(Schedule.MIN_WINDOW)).drifted(random);
        }

        private void settled(Transaction transaction) {
            describe(transaction);
            transaction.answer().ifPresent(a -> {
                if (rtt.isEmpty() || a.sinceFirstSend().compareTo(rtt.get()) < 0) {
                    rtt = Optional.of(a.sinceFirstSend()); // an upper bound of the true RTT; the smallest is the best
                }
                if (a.transmissions() > 1) {
                    lossSeen = true;
                }
            });
            if (transaction.outcome().silentThroughout() && isRequired(transaction)) {
                lossSeen = true; // these always get an answer from a working server
            }
            if (transaction.outcome().silentThroughout()
                    && lossSeen
                    && transaction.previous().isEmpty()
                    && transaction != filteringI
                    && transaction != mappingI) {
                // Silence on a path that has been losing packets is weak: give the test one more
                // window before its silence counts.
                Transaction again = transaction.again(probeSchedule());
                replace(transaction, again);
                notes.add(transaction.label() + ": packets were lost on this path, so it runs a second round");
                loop.submit(again);
                return;
            }
            if (transaction == filteringI) {
                filteringISettled();
            } else if (transaction == mappingI) {
                mappingISettled();
            } else if ((transaction == filteringII || transaction == filteringIII)
                    && filteringII.settled()
                    && filteringIII.settled()
                    && closing == null
                    && !filteringII.outcome().answeredFrom(other.orElseThrow())) {
                // Silence in II or III will only count if this socket is answered again afterwards.
                closing = Transaction.binding("filtering closing control", filteringPort, server, probeSchedule())
                        .reusingBinding();
                loop.submit(closing);
            }
        }

        /** Tests every working server answers, whatever the NAT does: their silence is loss. */
        private boolean isRequired(Transaction transaction) {
            return transaction == mappingII
                    || transaction == mappingIII
                    || transaction == mappingIV
                    || transaction == closing;
        }

        private void replace(Transaction old, Transaction again) {
            if (old == filteringII) {
                filteringII = again;
            } else if (old == filteringIII) {
                filteringIII = again;
            } else if (old == closing) {
                closing = again;
            } else if (old == mappingII) {
                mappingII = again;
            } else if (old == mappingIII) {
                mappingIII = again;
            } else if (old == mappingIV) {
                mappingIV = again;
            } else if (old == hairpin) {
                hairpin = again;
            }
        }

        private void filteringISettled() {
            Optional<Response> answer = filteringI.answer();
            if (answer.isEmpty()) {
                return;
            }
            other = usableOther(answer.get());
            if (other.isEmpty() && !last) {
                abandoned = true;
                loop.cancel(mappingI);
                return;
            }
            if (other.isPresent()) {
                filteringII = changeRequest("filtering test II (change IP and port)", true);
                filteringIII = changeRequest("filtering test III (change port)", false);
                loop.submit(filteringII);
                loop.submit(filteringIII);
            }
            InetSocketAddress target = answer.get().mapped().orElseThrow();
            try {
                Endpoint hairpinPort = loop.openOnRandomPort("hairpin", local, Optional.of(target));
                // Our own request looping back needs no room for an answer: no PADDING.
                hairpin = new Transaction(
                        "hairpin test",
                        hairpinPort,
                        target,
                        Request.binding().withoutPadding(),
                        probeSchedule(),
                        Transaction.Accept.OWN_REQUEST);
                loop.submit(hairpin);
            } catch (IOException e) {
                notes.add("hairpin test: cannot open a socket towards " + format(target) + " (" + e.getMessage() + ")");
            }
            loop.expedite(mappingI);
        }

        /** A CHANGE-REQUEST test on the filtering socket: same destination as the control, so no new NAT binding. */
        private Transaction changeRequest(String name, boolean changeIp) {
            Request request = Request.binding(new ChangeRequest(changeIp, true));
            return Transaction.of(name, filteringPort, server, request, probeSchedule())
                    .reusingBinding();
        }

        private void mappingISettled() {
            Optional<Response> answer = mappingI.answer();
            if (answer.isEmpty() || abandoned) {
                return;
            }
            mappingOther = usableOther(answer.get());
            if (mappingOther.isEmpty()) {
                return;
            }
            InetSocketAddress alternate = mappingOther.get();
            mappingII = Transaction.binding(
                    "mapping test II (alternate address, primary port)",
                    mappingPort,
                    new InetSocketAddress(alternate.getAddress(), server.getPort()),
                    probeSchedule());
            mappingIII = Transaction.binding(
                    "mapping test III (alternate address and port)", mappingPort, alternate, probeSchedule());
            mappingIV = Transaction.binding(
                    "mapping test IV (primary address, alternate port)",
                    mappingPort,
                    new InetSocketAddress(server.getAddress(), alternate.getPort()),
                    probeSchedule());
            loop.submit(mappingII);
            loop.submit(mappingIII);
            loop.submit(mappingIV);
        }

        /** OTHER-ADDRESS when it can serve RFC 5780: same family, another IP and another port. */
        private Optional<InetSocketAddress> usableOther(Response answer) {
            if (answer.other().isEmpty()) {
                return Optional.empty();
            }
            InetSocketAddress candidate = answer.other().get();
            String why = null;
            if (!family.contains(candidate.getAddress())) {
                why = "is not " + family.wireName();
            } else if (candidate.getAddress().equals(server.getAddress())) {
                why = "has the server's own IP address, so CHANGE-IP cannot work";
            } else if (candidate.getPort() == server.getPort()) {
                why = "has the server's own port, so CHANGE-PORT cannot work";
            }
            if (why != null) {
                notes.add(format(server) + ": OTHER-ADDRESS " + format(candidate) + " " + why + "; not used");
                return Optional.empty();
            }
            return Optional.of(candidate);
        }

        private void describe(Transaction transaction) {
            String line;
            if (transaction.outcome() instanceof Outcome.Answered a) {
                Response answer = a.response();
                StringBuilder text = new StringBuilder(transaction.label()).append(": ");
                if (transaction.accept() == Transaction.Accept.OWN_REQUEST) {
                    text.append("arrived back from ").append(format(answer.source()));
                } else {
                    text.append("answered from ").append(format(answer.source()));
                    answer.mapped().ifPresent(m -> text.append(", mapped ").append(format(m)));
                    answer.other()
                            .ifPresent(o -> text.append(", OTHER-ADDRESS ").append(format(o)));
                }
                long tenths = (answer.sinceFirstSend().toNanos() + 50_000) / 100_000;
                line = text.append(" after ")
                        .append(tenths / 10)
                        .append('.')
                        .append(tenths % 10)
                        .append(" ms, ")
                        .append(answer.transmissions())
                        .append(" transmission(s)")
                        .toString();
            } else {
                line = transaction.label() + ": no answer " + MappingRule.silence(transaction.outcome());
            }
            notes.add(line);
            log.debug("{}", line);
        }

        private BehaviorReport report(long start) {
            List<String> evidence = new ArrayList<>();
            boolean udpAnswered =
                    filteringI.answer().isPresent() || mappingI.answer().isPresent();
            if (!udpAnswered) {
                evidence.add("no answer to any Binding Request: UDP to " + format(server) + " is blocked or lost");
                return unreachable(
                        Optional.of(server),
                        notes,
                        start,
                        Reason.NO_UDP_ANSWER,
                        "no answer from " + format(server),
                        evidence);
            }
            Optional<InetSocketAddress> mapped = mappingI.answer()
                    .flatMap(Response::mapped)
                    .or(() -> filteringI.answer().flatMap(Response::mapped));
            Optional<Boolean> translated = mappingI.answer()
                    .flatMap(Response::mapped)
                    .map(m -> !m.equals(mappingPort.local()))
                    .or(() -> filteringI.answer().flatMap(Response::mapped).map(m -> !m.equals(filteringPort.local())));
            if (other.isPresent() && mappingOther.isPresent() && !other.equals(mappingOther)) {
                notes.add("the server named two different OTHER-ADDRESSes: " + format(other.get()) + " and "
                        + format(mappingOther.get()));
            }
            Finding<EndpointDependence> mapping = MappingRule.decide(
                    new MappingRule.Observed(
                            mappingPort.local(),
                            mappingI.outcome(),
                            mappingOther,
                            outcome(mappingII),
                            outcome(mappingIII)),
                    evidence);
            FilteringRule.Observed filteringObserved = new FilteringRule.Observed(
                    server,
                    other,
                    filteringI.outcome(),
                    outcome(filteringII),
                    outcome(filteringIII),
                    outcome(closing),
                    false,
                    false);
            boolean otherAnswers = other.isPresent() && answeredFrom(mappingIII, other.get());
            boolean primaryAltAnswers = filteringObserved
                    .primaryAltPort()
                    .map(p -> answeredFrom(mappingIV, p))
                    .orElse(false);
            Finding<EndpointDependence> filtering = FilteringRule.decide(
                    new FilteringRule.Observed(
                            server,
                            other,
                            filteringI.outcome(),
                            outcome(filteringII),
                            outcome(filteringIII),
                            outcome(closing),
                            otherAnswers,
                            primaryAltAnswers),
                    evidence);
            boolean alive = hairpin != null
                    && hairpin.firstSent() >= 0
                    && loop.lastAnswerAt() > hairpin.firstSent()
                    && !(hairpin.outcome() instanceof Outcome.Answered);
            Finding<Boolean> hairpinning = HairpinRule.decide(
                    new HairpinRule.Observed(filteringI.answer().flatMap(Response::mapped), outcome(hairpin), alive),
                    evidence);
            List<Response> answers = new ArrayList<>();
            for (Transaction e : new Transaction[] {filteringI, mappingI, mappingII, mappingIII, mappingIV, closing}) {
                if (e != null) {
                    e.answer().ifPresent(answers::add);
                }
            }
            Finding<Boolean> alg = AlgRule.decide(answers, evidence);
            Finding<Rfc3489Type> rfc3489 = Rfc3489Type.derive(true, translated, mapping, filtering);
            rfc3489.value().ifPresent(t -> evidence.add("RFC 3489 name: " + t.text()));
            return new BehaviorReport(
                    Optional.of(server),
                    other,
                    mapped,
                    translated,
                    mapping,
                    filtering,
                    hairpinning,
                    alg,
                    rfc3489,
                    rtt,
                    Optional.empty(),
                    evidence,
                    notes.lines(),
                    Duration.ofNanos(System.nanoTime() - start));
        }

        private static Optional<Outcome> outcome(Transaction transaction) {
            return transaction == null ? Optional.empty() : transaction.combinedOutcome();
        }

        private static boolean answeredFrom(Transaction transaction, InetSocketAddress source) {
            return outcome(transaction).map(o -> o.answeredFrom(source)).orElse(false);
        }
    }
}
