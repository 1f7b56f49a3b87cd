package dev.natcheck.path;

import dev.natcheck.linux.ErrorQueueSocket;
import dev.natcheck.linux.ExtendedError;
import dev.natcheck.linux.QueuedError;
import dev.natcheck.path.TtlAnswers.Answer;
import dev.natcheck.path.TtlAnswers.Kind;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One trace: a socket, the leg toward the server and (once the mapped address is known) the leg
 * toward the mapped address, and the loop that sends what is due, reads the error queue and
 * stops when both legs are settled or the budget is spent.
 */
final class Tracer {

    private static final Logger log = LoggerFactory.getLogger(Tracer.class);

    /** traceroute's base port; the server leg probes the 10 ports above it, the mapped leg the ones above 33534. */
    static final int SERVER_PORT_BASE = 33434;

    static final int MAPPED_PORT_BASE = 33534;
    /** The first public hop is rarely further: home router, then a few access routers. */
    static final int SERVER_MAX_TTL = 10;
    /** NAT444 is 2; a third NAT (a travel router behind it) is 3. */
    static final int MAPPED_MAX_TTL = 6;

    static final int FIRST_WAVE_SERVER = 6;
    static final int WAVE_SERVER = 3;
    /**
     * Small on purpose: every TTL at or past the owner draws a port unreachable from it, and
     * routers allow few ICMP messages per destination (Linux: a burst of 6, then 1 a second).
     */
    static final int FIRST_WAVE_MAPPED = 2;

    static final int WAVE_MAPPED = 2;
    /** Sends per TTL: the first and two retransmissions. */
    static final int ATTEMPTS = 3;
    /** The most datagrams a trace sends. */
    static final int MAX_PROBES = (SERVER_MAX_TTL + MAPPED_MAX_TTL) * ATTEMPTS;
    /** How often to look at the mapped-address stage while it is pending. */
    private static final long PENDING_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** What each probe carries: a name for whoever captures it. */
    private static final byte[] PAYLOAD = "natcheck path probe".getBytes(StandardCharsets.US_ASCII);

    private final InetAddress local;
    private final InetSocketAddress server;
    private final CompletableFuture<InetSocketAddress> mappedStage;
    private final long start;
    private final Duration budget;
    private final long interval;
    private long deadline;
    private final List<String> notes = new ArrayList<>();
    private final Leg serverLeg;
    private Leg mappedLeg;
    private boolean mappedResolved;
    private OutermostNat mappedReading;

    Tracer(
            InetAddress local,
            InetSocketAddress server,
            CompletableFuture<InetSocketAddress> mappedStage,
            long start,
            Duration budget) {
        this.local = local;
        this.server = server;
        this.mappedStage = mappedStage;
        this.start = start;
        this.budget = budget;
        // Three sends per TTL in the first half of the budget; the rest waits for late answers.
        this.interval = Math.max(budget.toNanos() / 4, TimeUnit.MILLISECONDS.toNanos(5));
        this.serverLeg = new Leg(
                Leg.Goal.ROUTE, server.getAddress(), SERVER_PORT_BASE, FIRST_WAVE_SERVER, WAVE_SERVER, SERVER_MAX_TTL);
    }

    /** Loads this class (and so its logger) ahead of the first trace. */
    static void load() {
        log.trace("path tracer loaded");
    }

    PathTrace run() {
        try (ErrorQueueSocket socket = ErrorQueueSocket.open(local)) {
            // The budget is for the network: linking the native calls (first trace only) is not in it.
            deadline = System.nanoTime() + budget.toNanos();
            loop(socket);
        } catch (IOException | RuntimeException e) {
            if (serverLeg.probesSent() == 0) {
                return PathTrace.skipped(
                        "path probe skipped: no socket on " + local.getHostAddress() + " (" + e.getMessage() + ")",
                        elapsed());
            }
            notes.add("path probe stopped: " + e.getMessage());
        }
        return result();
    }

    private void loop(ErrorQueueSocket socket) throws IOException {
        while (true) {
            long now = System.nanoTime();
            resolveMapped(now);
            if (now >= deadline) {
                return;
            }
            if (Thread.currentThread().isInterrupted()) {
                notes.add("path probe interrupted");
                return;
            }
            sendDue(socket, now);
            if (done()) {
                return;
            }
            long wake = Math.min(deadline, nextDue());
            if (!mappedResolved) {
                wake = Math.min(wake, now + PENDING_POLL_NANOS);
            }
            if (socket.await(Math.max(0, wake - now))) {
                drain(socket);
            }
        }
    }

    private void resolveMapped(long now) {
        if (mappedResolved) {
            return;
        }
        if (!mappedStage.isDone()) {
            if (now >= deadline) {
                mappedResolved = true;
                mappedReading = unknown("the mapped address was not known within the budget");
            }
            return;
        }
        mappedResolved = true;
        InetSocketAddress mapped = mappedStage.exceptionally(e -> null).join();
        if (mapped == null) {
            mappedReading = unknown("no mapped address to probe toward");
        } else if (!(mapped.getAddress() instanceof Inet4Address)) {
            mappedReading = unknown("the mapped address is not IPv4");
        } else if (mapped.getAddress().equals(local)) {
            mappedReading = OutermostNat.noNat();
        } else {
            mappedLeg = new Leg(
                    Leg.Goal.OWNER,
                    mapped.getAddress(),
                    MAPPED_PORT_BASE,
                    FIRST_WAVE_MAPPED,
                    WAVE_MAPPED,
                    MAPPED_MAX_TTL);
        }
    }

    private static OutermostNat unknown(String note) {
        return new OutermostNat(OptionalInt.empty(), true, Optional.of(note));
    }

    /** Sends what is due on both legs, lowest TTL first across legs: near routers answer first. */
    private void sendDue(ErrorQueueSocket socket, long now) {
        List<Integer> toServer = serverLeg.due(now, interval, ATTEMPTS);
        List<Integer> toMapped = mappedLeg == null ? List.of() : mappedLeg.due(now, interval, ATTEMPTS);
        int i = 0;
        int j = 0;
        while (i < toServer.size() || j < toMapped.size()) {
            boolean serverNext = j >= toMapped.size() || (i < toServer.size() && toServer.get(i) <= toMapped.get(j));
            if (serverNext) {
                send(socket, serverLeg, toServer.get(i++), now);
            } else {
                send(socket, mappedLeg, toMapped.get(j++), now);
            }
        }
    }

    private void send(ErrorQueueSocket socket, Leg leg, int ttl, long now) {
        if (leg.failure().isPresent()) {
            return;
        }
        try {
            socket.send(leg.target(ttl), ttl, PAYLOAD);
            leg.sent(ttl, now);
        } catch (IOException e) {
            leg.fail(e.getMessage());
            notes.add("path probe could not send: " + e.getMessage());
        }
    }

    private long nextDue() {
        long next = serverLeg.nextDue(interval, ATTEMPTS);
        if (mappedLeg != null) {
            next = Math.min(next, mappedLeg.nextDue(interval, ATTEMPTS));
        }
        return next;
    }

    private boolean done() {
        boolean serverDone = serverLeg.settled() || serverLeg.failure().isPresent();
        boolean mappedDone = mappedResolved
                && (mappedLeg == null
                        || mappedLeg.settled()
                        || mappedLeg.failure().isPresent());
        return serverDone && mappedDone;
    }

    /** Reads every queued error and every datagram that came back. */
    private void drain(ErrorQueueSocket socket) throws IOException {
        for (Optional<QueuedError> e = socket.nextError(); e.isPresent(); e = socket.nextError()) {
            QueuedError error = e.get();
            log.debug("path: {} for {}", error.error().describe(), error.destination());
            error.destination().ifPresent(destination -> answer(destination, error.error()));
        }
        for (Optional<InetSocketAddress> r = socket.nextReply(); r.isPresent(); r = socket.nextReply()) {
            InetSocketAddress from = r.get();
            record(from, new Answer(Kind.DESTINATION, from.getAddress()));
        }
    }

    private void answer(InetSocketAddress destination, ExtendedError error) {
        if (error.offender().isEmpty() || !error.isIcmp()) {
            return; // a local error (message too long, ...): says nothing about a hop
        }
        InetAddress from = error.offender().get();
        Kind kind;
        if (from.equals(destination.getAddress())) {
            kind = Kind.DESTINATION;
        } else if (error.isTimeExceeded()) {
            kind = Kind.TIME_EXCEEDED;
        } else if (error.type() == ExtendedError.ICMP_DEST_UNREACH) {
            kind = Kind.UNREACHABLE;
        } else {
            return; // parameter problem, source quench: not about where the datagram got to
        }
        record(destination, new Answer(kind, from));
    }

    private void record(InetSocketAddress destination, Answer answer) {
        for (Leg leg : mappedLeg == null ? List.of(serverLeg) : List.of(serverLeg, mappedLeg)) {
            int ttl = leg.ttlOf(destination);
            if (ttl > 0) {
                leg.answers().record(ttl, answer);
            }
        }
    }

    private PathTrace result() {
        RouteToServer route = RouteToServer.read(serverLeg.answers());
        if (!mappedResolved) {
            mappedReading = unknown("the mapped address was not known within the budget");
        } else if (mappedLeg != null) {
            mappedReading = OutermostNat.read(mappedLeg.answers());
        }
        List<String> all = new ArrayList<>(notes);
        all.addAll(route.notes());
        mappedReading.note().ifPresent(all::add);
        boolean complete = route.complete() && mappedReading.distance().isPresent();
        int probes = serverLeg.probesSent() + (mappedLeg == null ? 0 : mappedLeg.probesSent());
        PathTrace trace = new PathTrace(
                complete ? PathTrace.Status.COMPLETE : PathTrace.Status.PARTIAL,
                route.hops(),
                mappedReading.distance(),
                all.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", all)),
                probes,
                elapsed());
        log.debug("path from {} toward {}: {}", local.getHostAddress(), server, trace);
        return trace;
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
