package dev.natcheck.punch;

import dev.natcheck.address.AddressText;
import dev.natcheck.stun.AttributeType;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.RawAttribute;
import dev.natcheck.stun.StunAttribute;
import dev.natcheck.transaction.Credentials;
import dev.natcheck.transaction.Datagram;
import dev.natcheck.transaction.Endpoint;
import dev.natcheck.transaction.Ignored;
import dev.natcheck.transaction.Outcome;
import dev.natcheck.transaction.Request;
import dev.natcheck.transaction.Response;
import dev.natcheck.transaction.Schedule;
import dev.natcheck.transaction.Transaction;
import dev.natcheck.transaction.TransactionLoop;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The connectivity checks of one side (RFC 8445 section 7, simplified for two peers that know
 * their roles from the tokens): a check on every candidate pair, paced, both sides at once;
 * every check of the peer answered ({@link PeerRequests} decides which datagrams are checks);
 * a triggered check back on a pair the peer's check arrived on; the first pair whose check is
 * answered is nominated by the controlling side (the offer) with USE-CANDIDATE, and the
 * controlled side takes the nominated pair once its own check on it has been answered too, so
 * both sides end on one path that worked both ways. Then a few more checks measure its round
 * trip, and the side lingers a moment to answer the peer's last checks before it closes.
 *
 * <pre>
 * CHECKING --controlling: first answered pair--> NOMINATING --nomination answered--> MEASURING
 * CHECKING --controlled: a nominated pair answered--> MEASURING
 * MEASURING --round-trip checks settled--> DONE
 * CHECKING, NOMINATING --deadline--> FAILED
 * </pre>
 *
 * <p>The birthday trick, when the prediction asks for it: the symmetric side opens
 * {@link PortPredictionBudget#BIRTHDAY_PORTS} more sockets, each checking the other side's
 * public address once; the other side sends at most
 * {@link PortPredictionBudget#BIRTHDAY_PROBES} checks to random ports of the symmetric side's
 * public IP, one every {@link #PROBE_GAP}. Whichever datagram crosses a mapping the other side
 * already opened gets through, and the pair it makes is checked like any other.
 *
 * <p>Runs on the loop's thread; the loop's pacer bounds how fast new checks start.
 */
public final class CheckSession {

    /** The session's states. */
    public enum State {
        CHECKING,
        NOMINATING,
        MEASURING,
        DONE,
        FAILED
    }

    /** Checks on the selected path after its confirmation, for the round trip. */
    static final int RTT_CHECKS = 3;
    /** How long a side that is done keeps answering the peer's last checks. */
    static final Duration LINGER = Duration.ofSeconds(2);
    /** Time between two birthday probes, and between two port openers: 125 a second at most. */
    static final Duration PROBE_GAP = Duration.ofMillis(8);
    /** Probes and port openers logged one by one in the timeline; the rest are only counted. */
    private static final int LOGGED_PER_KIND = 3;

    private static final Duration CHECK_FIRST = Duration.ofMillis(100);
    private static final Duration CHECK_CAP = Duration.ofMillis(400);
    private static final Duration TRIGGER_AGAIN_AFTER = Duration.ofMillis(100);

    /** What a transaction of this session is for. */
    private enum Purpose {
        CHECK("check"),
        TRIGGERED("triggered"),
        NOMINATION("nomination"),
        RTT("rtt-check"),
        PROBE("probe"),
        PORT_OPENER("port-opener");

        final String what;

        Purpose(String what) {
            this.what = what;
        }
    }

    private record Sent(CandidatePair pair, Purpose purpose) {}

    /** A probe or port opener waiting for its turn. */
    private record Paced(CandidatePair pair, Purpose purpose, Schedule schedule) {}

    /**
     * Everything a session needs.
     *
     * @param controlling the offer side: nominates the path
     * @param endpoints this side's sockets, one per local address (the host candidates)
     * @param deadlineNanos when the checks give up, on the {@link System#nanoTime()} clock
     * @param throughRelay the relayed round: only pairs with a relay at one end (this side's
     *     relayed address, from {@code endpoints}, or the peer's relayed candidate); otherwise
     *     the direct round, relays left out
     */
    public record Setup(
            Token local,
            Token peer,
            boolean controlling,
            List<Endpoint> endpoints,
            Prediction prediction,
            long deadlineNanos,
            RandomGenerator random,
            boolean throughRelay) {
        public Setup {
            Objects.requireNonNull(local, "local");
            Objects.requireNonNull(peer, "peer");
            endpoints = List.copyOf(endpoints);
            Objects.requireNonNull(prediction, "prediction");
            Objects.requireNonNull(random, "random");
        }
    }

    private final TransactionLoop loop;
    private final Setup setup;
    private final Timeline timeline;
    private final PeerRequests requests;
    private final Credentials credentials;
    private final RawAttribute roleAttribute;
    private final List<CandidatePair> pairs = new ArrayList<>();
    private final java.util.ArrayDeque<Paced> paced = new java.util.ArrayDeque<>();
    private final Map<Transaction, Sent> sent = new HashMap<>();
    private final Map<PeerRequests.Reason, Integer> ignored = new EnumMap<>(PeerRequests.Reason.class);
    private final List<Duration> rtt = new ArrayList<>();
    private final Map<Purpose, Integer> logged = new EnumMap<>(Purpose.class);
    private State state = State.CHECKING;
    private CandidatePair selected;
    private long confirmedAt;
    private int rttSettled;
    private int checksSent;
    private int probesSent;
    private int portsOpened;
    private int checksAnswered;
    private int answersReceived;

    /** A session whose time 0 is now: this side has both tokens. */
    public CheckSession(TransactionLoop loop, Setup setup) {
        this.loop = loop;
        this.setup = setup;
        this.timeline = new Timeline(System.nanoTime());
        Set<InetAddress> peerAddresses = new HashSet<>();
        setup.peer().candidates().forEach(c -> peerAddresses.add(c.address().getAddress()));
        this.requests = new PeerRequests(
                setup.local().ufrag(), setup.local().password(), setup.peer().ufrag(), peerAddresses);
        this.credentials = Credentials.shortTerm(
                setup.peer().ufrag() + ":" + setup.local().ufrag(), setup.peer().password());
        byte[] tieBreaker = new byte[8];
        setup.random().nextBytes(tieBreaker);
        this.roleAttribute = new RawAttribute(
                setup.controlling() ? AttributeType.ICE_CONTROLLING : AttributeType.ICE_CONTROLLED, tieBreaker);
    }

    /** The timeline, for a caller that wants to add to it before the checks start. */
    public Timeline timeline() {
        return timeline;
    }

    /**
     * Runs the checks to the end (found, or the deadline), lingers when found, and says how it
     * went; {@code started} runs once the first checks are queued, before anything is received.
     */
    public PunchOutcome run(Runnable started) throws IOException, InterruptedException {
        loop.onTransmit(this::transmitted);
        for (Endpoint endpoint : setup.endpoints()) {
            endpoint.onUnsolicited(this::received);
        }
        start();
        started.run();
        loop.runUntil(setup.deadlineNanos(), this::settled, () -> state == State.DONE);
        if (state == State.DONE) {
            // The peer may still be checking, nominating or measuring: keep answering a moment.
            loop.runUntil(System.nanoTime() + LINGER.toNanos(), this::settled, () -> false);
        } else {
            timeline.note(System.nanoTime(), "no path confirmed before the deadline (" + state + ")");
            state = State.FAILED;
        }
        return outcome();
    }

    private void start() throws IOException {
        for (Endpoint endpoint : setup.endpoints()) {
            for (Candidate remote : ordered(setup.peer().candidates())) {
                if (sameFamily(endpoint.local().getAddress(), remote.address().getAddress())
                        && inRound(endpoint, remote)
                        && pair(endpoint, remote.address()).isEmpty()) {
                    pairs.add(new CandidatePair(endpoint, remote));
                }
            }
        }
        if (pairs.isEmpty()) {
            timeline.note(System.nanoTime(), "no candidate of the peer shares an address family with this side");
        }
        for (CandidatePair pair : List.copyOf(pairs)) {
            submit(pair, Purpose.CHECK, checkSchedule(), false);
        }
        Prediction prediction = setup.prediction();
        if (prediction.portPrediction() == Prediction.PortPrediction.BIRTHDAY && !setup.throughRelay()) {
            if (prediction.symmetricSide().equals(Optional.of(Prediction.Side.LOCAL))) {
                openBirthdayPorts();
            } else {
                sendBirthdayProbes();
            }
        }
    }

    /**
     * Whether a pair belongs to this round: the direct round pairs this side's sockets with the
     * peer's candidates that are not on a relay; the relayed round takes exactly the pairs with a
     * relay at one end or both.
     */
    private boolean inRound(Endpoint endpoint, Candidate remote) {
        boolean relayed = endpoint.transport() == Endpoint.Transport.RELAYED || remote.type() == CandidateType.RELAYED;
        return relayed == setup.throughRelay();
    }

    /** The peer's public address first, then predicted ports, relays, and its host addresses last. */
    private static List<Candidate> ordered(List<Candidate> candidates) {
        List<Candidate> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingInt(c -> switch (c.type()) {
            case SERVER_REFLEXIVE, PEER_REFLEXIVE -> 0;
            case PREDICTED -> 1;
            case RELAYED -> 2;
            case HOST -> 3;
        }));
        return sorted;
    }

    /** The symmetric side: sockets that each open a mapping towards the other side's public address. */
    private void openBirthdayPorts() throws IOException {
        Optional<Candidate> target = firstOfType(CandidateType.SERVER_REFLEXIVE);
        Optional<Endpoint> ipv4 = ipv4Endpoint();
        if (target.isEmpty() || ipv4.isEmpty()) {
            timeline.note(System.nanoTime(), "birthday: no IPv4 public address of the peer to open ports towards");
            return;
        }
        long now = System.nanoTime();
        for (int i = 0; i < PortPredictionBudget.BIRTHDAY_PORTS; i++) {
            Endpoint opener =
                    loop.open("birthday " + (i + 1), ipv4.get().local().getAddress(), Optional.empty());
            opener.onUnsolicited(this::received);
            CandidatePair pair = new CandidatePair(opener, target.get());
            pairs.add(pair);
            // One send: once it has crossed this NAT the mapping exists, and the other side's probe
            // that finds it arrives as a check, answered like any other.
            Schedule once = new Schedule(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ofSeconds(2));
            paced.add(new Paced(pair, Purpose.PORT_OPENER, once));
        }
        releasePaced(now);
        timeline.note(
                now,
                "birthday: " + PortPredictionBudget.BIRTHDAY_PORTS + " sockets open mappings towards " + target.get()
                        + ", one every " + PROBE_GAP.toMillis() + " ms");
    }

    /** The other side: checks to random ports of the symmetric side's public IP. */
    private void sendBirthdayProbes() {
        Optional<Candidate> target = firstOfType(CandidateType.SERVER_REFLEXIVE);
        Optional<Endpoint> ipv4 = ipv4Endpoint();
        if (target.isEmpty() || ipv4.isEmpty()) {
            timeline.note(System.nanoTime(), "birthday: no IPv4 public address of the peer to probe");
            return;
        }
        InetAddress address = target.get().address().getAddress();
        Set<Integer> ports = new LinkedHashSet<>();
        while (ports.size() < PortPredictionBudget.BIRTHDAY_PROBES) {
            int port = setup.random().nextInt(1024, 65536);
            if (port != target.get().address().getPort()) {
                ports.add(port);
            }
        }
        long now = System.nanoTime();
        Schedule once = new Schedule(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ofSeconds(1));
        for (int port : ports) {
            CandidatePair pair = new CandidatePair(
                    ipv4.get(), new Candidate(CandidateType.PREDICTED, new InetSocketAddress(address, port)));
            pairs.add(pair);
            paced.add(new Paced(pair, Purpose.PROBE, once));
        }
        releasePaced(now);
        timeline.note(
                now,
                "birthday: up to " + PortPredictionBudget.BIRTHDAY_PROBES + " probes to random ports of "
                        + AddressText.format(address) + ", one every " + PROBE_GAP.toMillis() + " ms");
    }

    /**
     * Submits the next probe or port opener, to start at {@code atNanos}. Each is released only
     * once the one before has gone out, {@link #PROBE_GAP} later: a stalled process then sends
     * late, never in a burst.
     */
    private void releasePaced(long atNanos) {
        Paced next = paced.poll();
        if (next != null) {
            loop.submitAt(transaction(next.pair(), next.purpose(), next.schedule(), false), atNanos);
        }
    }

    private Optional<Candidate> firstOfType(CandidateType type) {
        return setup.peer().candidates().stream()
                .filter(c -> c.type() == type && c.address().getAddress() instanceof Inet4Address)
                .findFirst();
    }

    private Optional<Endpoint> ipv4Endpoint() {
        return setup.endpoints().stream()
                .filter(e -> e.local().getAddress() instanceof Inet4Address)
                .findFirst();
    }

    private void submit(CandidatePair pair, Purpose purpose, Schedule schedule, boolean useCandidate) {
        loop.submit(transaction(pair, purpose, schedule, useCandidate));
    }

    private Transaction transaction(CandidatePair pair, Purpose purpose, Schedule schedule, boolean useCandidate) {
        List<StunAttribute> attributes = new ArrayList<>();
        attributes.add(roleAttribute);
        if (useCandidate) {
            attributes.add(new RawAttribute(AttributeType.USE_CANDIDATE, new byte[0]));
        }
        Request request = new Request(Method.BINDING, attributes, false, Optional.of(credentials));
        Transaction transaction = new Transaction(
                purpose.what,
                pair.local,
                pair.remote.address(),
                request,
                schedule,
                Transaction.Accept.FROM_DESTINATION);
        sent.put(transaction, new Sent(pair, purpose));
        return transaction;
    }

    /** Checks retransmit at 100, 200, then every 400 ms until the deadline. */
    private Schedule checkSchedule() {
        return new Schedule(CHECK_FIRST, CHECK_CAP, 1000, CHECK_CAP).within(remaining());
    }

    private Duration remaining() {
        return Duration.ofNanos(Math.max(1, setup.deadlineNanos() - System.nanoTime()));
    }

    private void transmitted(Transaction transaction) {
        Sent what = sent.get(transaction);
        if (what == null) {
            return;
        }
        what.pair().on(CandidatePair.Event.SENT);
        if ((what.purpose() == Purpose.PROBE || what.purpose() == Purpose.PORT_OPENER)
                && transaction.transmissions() == 1) {
            releasePaced(System.nanoTime() + PROBE_GAP.toNanos());
        }
        switch (what.purpose()) {
            case PROBE -> probesSent++;
            case PORT_OPENER -> portsOpened++;
            default -> checksSent++;
        }
        if (quiet(what.purpose())) {
            timeline.omit();
            return;
        }
        timeline.add(
                System.nanoTime(),
                Timeline.Direction.SENT,
                what.purpose().what,
                Optional.of(transaction.endpoint().local()),
                Optional.of(transaction.destination()),
                (transaction.transmissions() > 1 ? "retransmission " + (transaction.transmissions() - 1) + ", " : "")
                        + "to " + what.pair().remote.type().shortName());
    }

    /** Probes and port openers past the first few are counted, not logged. */
    private boolean quiet(Purpose purpose) {
        if (purpose != Purpose.PROBE && purpose != Purpose.PORT_OPENER) {
            return false;
        }
        return logged.merge(purpose, 1, Integer::sum) > LOGGED_PER_KIND;
    }

    private void settled(Transaction transaction) {
        Sent what = sent.remove(transaction);
        if (what == null) {
            return;
        }
        CandidatePair pair = what.pair();
        long now = System.nanoTime();
        Optional<Response> answer = transaction.answer();
        if (answer.isEmpty()) {
            pair.on(CandidatePair.Event.GAVE_UP);
            if (what.purpose() == Purpose.RTT) {
                rttDone(now);
            }
            if (!quiet(what.purpose()) || transaction.outcome() instanceof Outcome.Refused) {
                timeline.add(
                        now,
                        Timeline.Direction.NOTE,
                        what.purpose().what,
                        Optional.of(pair.local.local()),
                        Optional.of(pair.remote.address()),
                        describe(transaction.outcome()));
            }
            return;
        }
        Response response = answer.get();
        answersReceived++;
        pair.on(CandidatePair.Event.ANSWERED);
        if (response.transmissions() == 1 && (what.purpose() == Purpose.RTT || what.purpose() == Purpose.NOMINATION)) {
            rtt.add(response.sinceFirstSend()); // one send, so no doubt which send it answers
        }
        timeline.add(
                now,
                Timeline.Direction.RECEIVED,
                "answer",
                Optional.of(pair.local.local()),
                Optional.of(response.source()),
                "to the " + what.purpose().what + " after " + millis(response.sinceFirstSend()) + ", "
                        + response.transmissions() + " send(s)"
                        + response.mapped()
                                .map(m -> ", the peer sees us as " + AddressText.format(m))
                                .orElse(""));
        switch (what.purpose()) {
            case NOMINATION -> {
                if (state == State.NOMINATING) {
                    select(pair, now, true);
                }
            }
            case RTT -> rttDone(now);
            default -> {
                if (state != State.CHECKING) {
                    return;
                }
                if (setup.controlling()) {
                    nominate(pair, now);
                } else if (pair.nominatedByPeer) {
                    select(pair, now, false);
                }
            }
        }
    }

    private void nominate(CandidatePair pair, long now) {
        state = State.NOMINATING;
        stopOtherChecks(pair);
        timeline.note(now, "nominating " + pair + " (USE-CANDIDATE)");
        submit(pair, Purpose.NOMINATION, checkSchedule(), true);
    }

    private void select(CandidatePair pair, long now, boolean weNominated) {
        selected = pair;
        confirmedAt = now;
        state = State.MEASURING;
        stopOtherChecks(pair);
        timeline.note(
                now,
                (setup.throughRelay() ? "path through a relay" : "direct path") + " confirmed both ways: " + pair
                        + (weNominated ? " (nominated by us)" : " (nominated by the peer)"));
        submit(pair, Purpose.RTT, rttSchedule(), false);
    }

    private void rttDone(long now) {
        rttSettled++;
        if (state != State.MEASURING) {
            return;
        }
        if (rttSettled < RTT_CHECKS) {
            submit(selected, Purpose.RTT, rttSchedule(), false);
        } else {
            state = State.DONE;
            timeline.note(now, "done; answering the peer's last checks for " + LINGER.toMillis() + " ms");
        }
    }

    private Schedule rttSchedule() {
        return new Schedule(Duration.ofMillis(200), CHECK_CAP, 5, CHECK_CAP).within(remaining());
    }

    /** Ends every check but those on {@code keep}: probes not sent yet go too. */
    private void stopOtherChecks(CandidatePair keep) {
        paced.clear();
        for (Map.Entry<Transaction, Sent> entry : List.copyOf(sent.entrySet())) {
            if (entry.getValue().pair() != keep) {
                sent.remove(entry.getKey());
                loop.cancel(entry.getKey());
            }
        }
    }

    /** A datagram that answers none of our checks: perhaps the peer's check. */
    private void received(Datagram datagram) {
        long now = System.nanoTime();
        PeerRequests.Verdict verdict = requests.judge(datagram.bytes(), datagram.source());
        Endpoint endpoint = datagram.endpoint();
        if (verdict instanceof PeerRequests.Verdict.Ignored(PeerRequests.Reason reason, String detail)) {
            ignored.merge(reason, 1, Integer::sum);
            timeline.add(
                    now,
                    Timeline.Direction.RECEIVED,
                    "ignored",
                    Optional.of(endpoint.local()),
                    Optional.of(datagram.source()),
                    reason.wireName() + ": " + detail);
            return;
        }
        PeerRequests.Verdict.Check check = (PeerRequests.Verdict.Check) verdict;
        try {
            endpoint.send(ByteBuffer.wrap(check.response()), datagram.source());
            checksAnswered++;
        } catch (IOException e) {
            timeline.note(now, "cannot answer " + AddressText.format(datagram.source()) + ": " + e.getMessage());
            return;
        }
        CandidatePair pair = pair(endpoint, datagram.source()).orElseGet(() -> {
            CandidatePair learned =
                    new CandidatePair(endpoint, new Candidate(CandidateType.PEER_REFLEXIVE, datagram.source()));
            pairs.add(learned);
            return learned;
        });
        timeline.add(
                now,
                Timeline.Direction.RECEIVED,
                check.useCandidate() ? "nomination" : "check",
                Optional.of(endpoint.local()),
                Optional.of(datagram.source()),
                "from " + pair.remote.type().shortName() + ", answered"
                        + (check.retransmission() ? " (a retransmission)" : ""));
        if (check.useCandidate() && !setup.controlling()) {
            pair.nominatedByPeer = true;
            if (pair.state == CandidatePair.State.SUCCEEDED && state == State.CHECKING) {
                select(pair, now, false);
                return;
            }
        }
        boolean wanted = state == State.CHECKING && (pair.nominatedByPeer || selected == null);
        if (wanted
                && pair.state != CandidatePair.State.SUCCEEDED
                && (pair.triggeredAt < 0 || now - pair.triggeredAt >= TRIGGER_AGAIN_AFTER.toNanos())) {
            pair.triggeredAt = now;
            pair.on(CandidatePair.Event.TRIGGERED);
            submit(pair, Purpose.TRIGGERED, checkSchedule(), false);
        }
    }

    private Optional<CandidatePair> pair(Endpoint endpoint, InetSocketAddress remote) {
        return pairs.stream()
                .filter(p -> p.local == endpoint && p.remote.address().equals(remote))
                .findFirst();
    }

    private static boolean sameFamily(InetAddress a, InetAddress b) {
        return (a instanceof Inet4Address) == (b instanceof Inet4Address);
    }

    private static String describe(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Unanswered u ->
                "no answer after " + u.transmissions() + " send(s)" + (u.complete() ? "" : " (cut short)");
            case Outcome.Refused r -> "refused: " + r.detail();
            case Outcome.Rejected r -> "error " + r.code() + " " + r.reason();
            case Outcome.Answered a -> "answered";
        };
    }

    private static String millis(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    /** Answers to our checks the engine set aside: a bad HMAC is spoofing, anything else a stray. */
    public void engineIgnored(Ignored ignoredAnswer) {
        PeerRequests.Reason reason = ignoredAnswer.reason() == Ignored.Reason.BAD_INTEGRITY
                ? PeerRequests.Reason.SPOOFED
                : PeerRequests.Reason.STRAY;
        ignored.merge(reason, 1, Integer::sum);
        timeline.add(
                System.nanoTime(),
                Timeline.Direction.RECEIVED,
                "ignored",
                Optional.of(ignoredAnswer.endpoint().local()),
                Optional.of(ignoredAnswer.source()),
                reason.wireName() + ": " + ignoredAnswer.text());
    }

    private PunchOutcome outcome() {
        Optional<PunchOutcome.Path> path = Optional.ofNullable(selected)
                .map(p -> new PunchOutcome.Path(
                        p.local.local(), p.remote.address(), p.remote.type(), setup.controlling()));
        String ending = selected != null
                ? kind() + " " + selected + " confirmed both ways after " + millis(timeline.since(confirmedAt))
                : "no " + kind() + " within " + millis(timeline.since(setup.deadlineNanos())) + " (state "
                        + endingState() + ")";
        return new PunchOutcome(
                path,
                Optional.ofNullable(selected).map(p -> timeline.since(confirmedAt)),
                rtt,
                ignored,
                new PunchOutcome.Counts(checksSent, probesSent, portsOpened, checksAnswered, answersReceived),
                timeline,
                ending);
    }

    private String kind() {
        return setup.throughRelay() ? "path through a relay" : "direct path";
    }

    private String endingState() {
        long answered = pairs.stream()
                .filter(p -> p.state == CandidatePair.State.SUCCEEDED)
                .count();
        return answered == 0 ? "no check answered" : answered + " pair(s) answered but none confirmed by both sides";
    }

    /** The state now. */
    public State state() {
        return state;
    }
}
