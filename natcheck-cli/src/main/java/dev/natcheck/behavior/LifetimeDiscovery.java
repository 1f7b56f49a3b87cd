package dev.natcheck.behavior;

import static dev.natcheck.address.AddressText.format;

import dev.natcheck.probe.Deadline;
import dev.natcheck.probe.Notes;
import dev.natcheck.stun.ResponsePort;
import dev.natcheck.stun.Software;
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
import java.util.TreeSet;

/**
 * RFC 5780 section 4.6, binding lifetime: socket X sends one Binding Request and learns its
 * mapping (Pa, Pp); after X has been idle for T, a fresh socket Y asks the server, with
 * RESPONSE-PORT Pp, to answer to (Pa, Pp). The answer reaching X means the binding outlived T;
 * reaching Y (the NAT gave Y the freed port) or nothing means it did not.
 *
 * <p>Instead of the RFC's binary search, one X per idle time is opened at the start and each is
 * probed once, so the whole test takes as long as the longest idle time rather than the sum of
 * all. Silence counts as "gone" only when Y's own plain request, sent alongside, was answered;
 * otherwise that idle time is inconclusive.
 */
final class LifetimeDiscovery {

    /** Idle times tested, up to the limit: the usual NAT timers (RFC 4787 asks for at least 2 min) and between. */
    static final List<Duration> IDLE_TIMES =
            List.of(1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 420, 600).stream()
                    .map(Duration::ofSeconds)
                    .toList();

    private static final Duration SLACK = Duration.ofSeconds(10);
    /**
     * RFC 5780 section 7.6 forbids PADDING next to RESPONSE-PORT, yet a server that never answers
     * with more than it received (natcheck's own) needs the room: SOFTWARE, which every server may
     * ignore, provides it.
     */
    private static final Software ROOM_FOR_ANSWER = new Software("natcheck binding lifetime test (RFC 5780 section"
            + " 4.6): this text only makes the request as large as the answer");

    private final Pacer pacer;
    private final SplittableRandom random = new SplittableRandom();

    LifetimeDiscovery(Pacer pacer) {
        this.pacer = pacer;
    }

    /** Idle times to test for {@code limit}: the standard ones below it, and the limit itself. */
    static List<Duration> idleTimes(Duration limit) {
        TreeSet<Duration> times = new TreeSet<>();
        for (Duration t : IDLE_TIMES) {
            if (t.compareTo(limit) <= 0) {
                times.add(t);
            }
        }
        times.add(limit);
        return List.copyOf(times);
    }

    /**
     * The report with the lifetime (or why it could not be measured) added. Interrupted (Ctrl-C),
     * it stops and reports what the idle times checked so far showed.
     */
    BehaviorReport measure(InetAddress local, BehaviorReport report, Duration limit) {
        InetSocketAddress server = report.server().orElseThrow();
        Notes notes = new Notes();
        List<Probe> probes = new ArrayList<>();
        // Room for the pacer too: every idle time costs two slots at the start and two at its check.
        Deadline deadline = Deadline.after(
                limit.plus(SLACK).plus(Duration.ofMillis(400L * idleTimes(limit).size())));
        long started = System.nanoTime();
        try (TransactionLoop loop = new TransactionLoop(pacer, ignored -> notes.add(ignored.toString()))) {
            for (Duration idle : idleTimes(limit)) {
                Endpoint x = loop.openOnRandomPort("lifetime X (" + idle.toSeconds() + " s)", local, Optional.empty());
                Endpoint y = loop.openOnRandomPort("lifetime Y (" + idle.toSeconds() + " s)", local, Optional.empty());
                Probe probe = new Probe(
                        idle,
                        x,
                        y,
                        Transaction.binding(
                                "lifetime binding for " + seconds(idle),
                                x,
                                server,
                                Schedule.control().drifted(random)));
                probes.add(probe);
                loop.submit(probe.first);
            }
            loop.run(deadline.nanos(), transaction -> settled(loop, probes, server, transaction));
        } catch (IOException e) {
            notes.add("binding lifetime test failed: " + e.getMessage());
        } catch (InterruptedException e) {
            // Evidence, not a note: the lifetime below is a lower bound from a cut-short test.
            return report.withLifetime(verdict(probes, notes), notes.lines())
                    .withEvidence("binding lifetime test interrupted after "
                            + (System.nanoTime() - started) / 1_000_000_000L + " s of up to " + seconds(limit)
                            + ": only the idle times checked by then are reported");
        }
        return report.withLifetime(verdict(probes, notes), notes.lines());
    }

    private void settled(TransactionLoop loop, List<Probe> probes, InetSocketAddress server, Transaction transaction) {
        for (Probe probe : probes) {
            if (transaction == probe.first) {
                Optional<Response> answer = transaction.answer();
                if (answer.isEmpty() || answer.get().mapped().isEmpty()) {
                    return;
                }
                long at = System.nanoTime() + probe.idle.toNanos();
                Schedule schedule =
                        Schedule.afterRtt(answer.get().sinceFirstSend()).drifted(random);
                probe.ask = Transaction.of(
                        "lifetime check after " + seconds(probe.idle) + " idle",
                        probe.y,
                        server,
                        Request.binding(
                                new ResponsePort(answer.get().mapped().get().getPort()), ROOM_FOR_ANSWER),
                        schedule);
                probe.control = Transaction.binding(
                        "lifetime control after " + seconds(probe.idle) + " idle", probe.y, server, schedule);
                loop.submitAt(probe.ask, at);
                loop.submitAt(probe.control, at);
                return;
            }
        }
    }

    private static BindingLifetime verdict(List<Probe> probes, Notes notes) {
        Optional<Duration> alive = Optional.empty();
        Optional<Duration> gone = Optional.empty();
        Duration longest = Duration.ZERO;
        for (Probe probe : probes) {
            Optional<Boolean> open = probe.open(notes);
            if (open.isEmpty()) {
                continue;
            }
            longest = probe.idle.compareTo(longest) > 0 ? probe.idle : longest;
            if (open.get()) {
                alive = Optional.of(
                        alive.filter(a -> a.compareTo(probe.idle) > 0).orElse(probe.idle));
            } else if (gone.isEmpty() || gone.get().compareTo(probe.idle) > 0) {
                gone = Optional.of(probe.idle);
            }
        }
        if (alive.isPresent() && gone.isPresent() && alive.get().compareTo(gone.get()) > 0) {
            notes.add("binding lifetime: open after " + seconds(alive.get()) + " but gone after " + seconds(gone.get())
                    + ": the NAT is not consistent (load, or another timer)");
        }
        return new BindingLifetime(alive, gone, longest);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** One idle time's sockets and transactions. */
    private static final class Probe {
        final Duration idle;
        final Endpoint x;
        final Endpoint y;
        final Transaction first;
        Transaction ask;
        Transaction control;

        Probe(Duration idle, Endpoint x, Endpoint y, Transaction first) {
            this.idle = idle;
            this.x = x;
            this.y = y;
            this.first = first;
        }

        /** Whether X's binding outlived the idle time; empty when this probe proves nothing. */
        Optional<Boolean> open(Notes notes) {
            if (ask == null || ask.outcome() == null) {
                return Optional.empty();
            }
            String what = "lifetime after " + seconds(idle) + " idle: ";
            if (ask.outcome() instanceof Outcome.Rejected r) {
                notes.add(what + "the server refused RESPONSE-PORT (" + r.code() + " " + r.reason() + ")");
                return Optional.empty();
            }
            if (ask.outcome() instanceof Outcome.Answered a) {
                boolean onX = a.response().receivedOn().equals(x.local());
                notes.add(what + "the answer for "
                        + format(first.answer().flatMap(Response::mapped).orElseThrow()) + " arrived on "
                        + (onX ? "the idle socket: still open" : "the new socket: the NAT reused the port"));
                return Optional.of(onX);
            }
            if (ask.outcome().silentThroughout()
                    && control != null
                    && control.answer().isPresent()) {
                notes.add(what
                        + "no answer reached either socket, while the new socket's own request was answered: gone");
                return Optional.of(false);
            }
            notes.add(what + "no answer and no working control: inconclusive");
            return Optional.empty();
        }
    }
}
