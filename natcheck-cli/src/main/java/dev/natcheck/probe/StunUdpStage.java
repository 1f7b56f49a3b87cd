package dev.natcheck.probe;

import dev.natcheck.address.AddressText;
import dev.natcheck.transaction.Endpoint;
import dev.natcheck.transaction.Ignored;
import dev.natcheck.transaction.Outcome;
import dev.natcheck.transaction.Response;
import dev.natcheck.transaction.Schedule;
import dev.natcheck.transaction.Transaction;
import dev.natcheck.transaction.TransactionLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STUN Binding over UDP (RFC 8489) on the transaction engine: one socket per server, connected to
 * it, all asked at once on a {@link Schedule#forBudget} schedule; the first valid answer wins.
 *
 * <p>The engine's answer check applies (see {@link dev.natcheck.transaction.Transactions}); the
 * connected socket also makes the kernel drop anything from another address, and lets ICMP port
 * unreachable through, which retires that server at once; when every server is retired that way
 * the stage ends immediately. Requests are padded, and asked again without PADDING after a 420.
 *
 * <p>After the winning answer the same socket (same local port) asks a different destination:
 * the server's OTHER-ADDRESS if it offers one, otherwise the other servers; a different mapped
 * address or port there means the mapping depends on the destination (symmetric NAT).
 */
public final class StunUdpStage implements UdpStage {

    private static final Logger log = LoggerFactory.getLogger(StunUdpStage.class);

    @Override
    public Result bind(ProbeTarget target, List<ResolvedServer> servers, Deadline deadline)
            throws InterruptedException {
        Notes notes = new Notes();
        if (servers.isEmpty()) {
            notes.add("no STUN server has an " + (target.family() == Family.IPV4 ? "IPv4" : "IPv6") + " address");
            return new TimedOut(notes.lines());
        }
        Session session = new Session(target, notes);
        try (TransactionLoop loop = new TransactionLoop(session::ignored)) {
            return session.run(loop, servers, deadline);
        } catch (IOException e) {
            notes.add("UDP probe failed: " + e.getMessage());
            return new TimedOut(notes.lines());
        }
    }

    /** One {@link #bind} call: every server asked at once, the first valid answer, then the second binding. */
    private static final class Session {

        private final ProbeTarget target;
        private final Notes notes;
        /** Sockets whose server sent something back, usable or not: UDP reaches it. */
        private final Set<Endpoint> heard = new HashSet<>();
        /** Each server's transaction, in the order given. */
        private final Map<Transaction, ResolvedServer> asked = new LinkedHashMap<>();

        private TransactionLoop loop;
        private Transaction winner;
        private long lastRejection = -1;

        Session(ProbeTarget target, Notes notes) {
            this.target = target;
            this.notes = notes;
        }

        /** A datagram the engine set aside: evidence, and (the socket is connected) a sign of its server. */
        void ignored(Ignored ignored) {
            notes.add(ignored.transaction()
                            .map(Transaction::name)
                            .orElse(ignored.endpoint().role()) + ": " + ignored.text());
            heard.add(ignored.endpoint());
        }

        Result run(TransactionLoop running, List<ResolvedServer> servers, Deadline deadline)
                throws IOException, InterruptedException {
            loop = running;
            Schedule schedule = Schedule.forBudget(Duration.ofNanos(deadline.remainingNanos()));
            for (ResolvedServer server : servers) {
                try {
                    Endpoint endpoint = loop.open(server.label(), target.address(), Optional.of(server.address()));
                    Transaction transaction = Transaction.binding(server.label(), endpoint, server.address(), schedule);
                    asked.put(transaction, server);
                    loop.submit(transaction);
                } catch (IOException e) {
                    notes.add(server.label() + ": cannot send from " + AddressText.format(target.address()) + " ("
                            + e.getMessage() + ")");
                }
            }
            loop.run(deadline.nanos(), this::settled);
            if (winner != null) {
                Response answer = winner.answer().orElseThrow();
                log.debug(
                        "{} answered: mapped {} in {} ms",
                        winner.name(),
                        AddressText.format(answer.mapped().orElseThrow()),
                        answer.sinceFirstSend().toNanos() / 1e6);
                return new Bound(
                        winner.endpoint().local(),
                        asked.get(winner),
                        answer.mapped().orElseThrow(),
                        answer.sinceFirstSend(),
                        secondBinding(answer, deadline),
                        notes.lines());
            }
            boolean anyHeard = false;
            for (Transaction transaction : asked.keySet()) {
                boolean fromServer = heard.contains(transaction.endpoint());
                anyHeard |= fromServer;
                if (transaction.outcome() instanceof Outcome.Unanswered) {
                    notes.add(transaction.name()
                            + (fromServer
                                    ? ": answered, but never usably, in " + transaction.transmissions()
                                            + " transmission(s)"
                                    : ": no valid answer after " + transaction.transmissions()
                                            + " transmission(s) (answers from any other address are dropped)"));
                }
            }
            if (anyHeard) {
                return new Unusable(notes.lines());
            }
            if (!asked.isEmpty() && asked.keySet().stream().allMatch(t -> t.outcome() instanceof Outcome.Refused)) {
                return new Unreachable(lastRejection, notes.lines());
            }
            return new TimedOut(notes.lines());
        }

        // if/else rather than a pattern switch: this runs in every probe's first milliseconds, and a
        // type switch's bootstrap costs more than the whole exchange on loopback.
        private void settled(Transaction transaction) {
            Outcome outcome = transaction.outcome();
            if (outcome instanceof Outcome.Answered answered && winner == null) {
                winner = transaction;
                describe(answered.response());
                asked.keySet().forEach(loop::cancel);
            } else if (outcome instanceof Outcome.Refused) {
                lastRejection = System.nanoTime();
                noteFailure(transaction.name(), outcome);
            } else if (outcome instanceof Outcome.Rejected) {
                heard.add(transaction.endpoint());
                noteFailure(transaction.name(), outcome);
            } // else cut short by the winner, or a second answer in the same instant
        }

        /** "host: ICMP port unreachable from ...", "host: answered with error 500 Server Error". */
        private void noteFailure(String label, Outcome outcome) {
            if (outcome instanceof Outcome.Refused refused) {
                notes.add(label + ": " + refused.detail());
            } else if (outcome instanceof Outcome.Rejected error) {
                notes.add(label + ": answered with error " + (error.code() == 0 ? "" : error.code() + " ")
                        + error.reason());
            } else {
                notes.add(label + ": no answer in time");
            }
        }

        /** What the two mapped-address attributes say about the path. */
        private void describe(Response answer) {
            String from = winner.name();
            Optional<InetSocketAddress> xor = answer.xorMapped();
            Optional<InetSocketAddress> plain = answer.plainMapped();
            if (xor.isPresent() && plain.isPresent() && !xor.get().equals(plain.get())) {
                notes.add(from + ": MAPPED-ADDRESS " + AddressText.format(plain.get())
                        + " differs from XOR-MAPPED-ADDRESS "
                        + AddressText.format(xor.get()) + ": something on the path rewrites addresses (an ALG); "
                        + "XOR-MAPPED-ADDRESS used");
            } else if (xor.isEmpty()) {
                notes.add(from + ": only MAPPED-ADDRESS in the answer (an RFC 3489 server)");
            }
        }

        /**
         * The symmetric check: from the winner's socket (same local port), ask a different
         * destination and compare the mapping. Whether it varies; empty when none answered.
         */
        private Optional<Boolean> secondBinding(Response answer, Deadline deadline)
                throws IOException, InterruptedException {
            InetSocketAddress primary = winner.destination();
            InetSocketAddress mapped = answer.mapped().orElseThrow();
            List<InetSocketAddress> destinations = new ArrayList<>();
            String how;
            Optional<InetSocketAddress> other = answer.other()
                    .filter(a -> target.family().contains(a.getAddress()))
                    .filter(a -> !a.equals(primary));
            if (other.isPresent()) {
                destinations.add(other.get());
                how = "OTHER-ADDRESS";
            } else {
                // Another IP first (catches address-dependent mapping); failing that the same IP on
                // another port, which still catches the classic address-and-port-dependent NAT.
                for (boolean sameIp : new boolean[] {false, true}) {
                    for (Transaction transaction : asked.keySet()) {
                        InetSocketAddress address = transaction.destination();
                        if (transaction != winner
                                && !address.equals(primary)
                                && !destinations.contains(address)
                                && address.getAddress().equals(primary.getAddress()) == sameIp) {
                            destinations.add(address);
                        }
                    }
                    if (!destinations.isEmpty()) {
                        break;
                    }
                }
                how = "a second server";
            }
            if (destinations.isEmpty()) {
                notes.add("mapping behaviour not tested: " + winner.name()
                        + " offers no OTHER-ADDRESS and no second server is available");
                return Optional.empty();
            }
            // One destination at a time, each on the winner's socket connected to it: re-connecting
            // keeps the local port (so the NAT mapping under test) and lets ICMP through.
            for (int i = 0; i < destinations.size() && !deadline.expired(); i++) {
                InetSocketAddress destination = destinations.get(i);
                Deadline slot = deadline.fraction(1.0 / (destinations.size() - i));
                String label = "second binding to " + AddressText.format(destination);
                winner.endpoint().reconnect(destination);
                Transaction second = Transaction.of(
                        label,
                        winner.endpoint(),
                        destination,
                        winner.request(), // without PADDING when the winner needed a 420 to learn that
                        Schedule.forBudget(Duration.ofNanos(slot.remainingNanos())));
                loop.submit(second);
                loop.run(slot.nanos(), transaction -> {});
                Optional<InetSocketAddress> seen = second.answer().flatMap(Response::mapped);
                if (seen.isEmpty()) {
                    noteFailure(label, second.outcome());
                    continue;
                }
                boolean varies = !seen.get().equals(mapped);
                notes.add("second binding to " + how + " " + AddressText.format(destination) + " saw "
                        + AddressText.format(seen.get())
                        + (varies
                                ? ", not " + AddressText.format(mapped) + ": the mapping depends on the destination"
                                : ": the same mapping"));
                return Optional.of(varies);
            }
            notes.add("mapping behaviour not tested: the second destination (" + how + ") did not answer in time");
            return Optional.empty();
        }
    }
}
