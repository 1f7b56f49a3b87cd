package dev.natcheck.path;

import dev.natcheck.linux.ErrorQueueSocket;
import dev.natcheck.linux.LinuxUdp;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What TTL-limited UDP probes found between this host and the Internet: the hops toward the STUN
 * server up to and including the first public one, and the hop distance of the outermost NAT
 * (the one that owns the probe's mapped address). See {@link dev.natcheck.path} for the method.
 *
 * @param status whether both were found ({@link Status#COMPLETE}), one or neither
 *     ({@link Status#PARTIAL}), or nothing was probed ({@link Status#SKIPPED})
 * @param hops toward the server in TTL order, up to and including the first public hop (or the
 *     server itself); a hop that did not answer has an empty address; empty when skipped
 * @param outermostNatDistance 0 when the host holds the mapped address itself (no NAT), 1 when
 *     the first router owns it (one NAT), 2 when the second does (a second NAT), ...; empty when
 *     unknown (never a guess: a silent hop before the owner makes it unknown)
 * @param note why it was skipped or what is missing, when anything is
 * @param probesSent datagrams sent, retransmissions included
 * @param elapsed how long the trace took
 */
public record PathTrace(
        Status status,
        List<Hop> hops,
        OptionalInt outermostNatDistance,
        Optional<String> note,
        int probesSent,
        Duration elapsed) {

    /** How far a trace got. */
    public enum Status {
        /** The path up to the first public hop and the outermost NAT's distance are both known. */
        COMPLETE,
        /** Probes went out but something is missing (loss, silent routers, no mapped address): see the note. */
        PARTIAL,
        /** Nothing was probed (not Linux, not IPv4, no native access, ...): see the note. */
        SKIPPED
    }

    /** A budget that fits the lab and a home line with room to spare: a few round trips to nearby routers. */
    public static final Duration DEFAULT_BUDGET = Duration.ofMillis(300);

    public PathTrace {
        Objects.requireNonNull(status);
        hops = List.copyOf(hops);
        Objects.requireNonNull(outermostNatDistance);
        Objects.requireNonNull(note);
        Objects.requireNonNull(elapsed);
    }

    /**
     * Traces from {@code localAddress} (the probed interface's IPv4 address) toward
     * {@code server} and toward {@code mapped} (the address the STUN server saw; null when no
     * server answered, then only the path is traced), within {@code budget}. Blocks the calling
     * thread for at most the budget (less when everything has answered) from the moment its
     * socket is open, sends at most {@value Tracer#MAX_PROBES} datagrams, and never throws for
     * network conditions: what went wrong is in the note. The first trace in a JVM also links the
     * native calls it needs before its budget starts; {@link #prepare()} does that ahead of time.
     */
    public static PathTrace trace(
            InetAddress localAddress, InetSocketAddress server, InetSocketAddress mapped, Duration budget) {
        return traceAlongside(localAddress, server, CompletableFuture.completedFuture(mapped), budget);
    }

    /**
     * As {@link #trace(InetAddress, InetSocketAddress, InetSocketAddress, Duration)}, starting
     * toward the server at once and toward the mapped address when {@code mapped} completes: so
     * the trace can run alongside the STUN exchange that learns the mapped address. A stage that
     * completes with null or exceptionally, or not within the budget, means no mapped address.
     */
    public static PathTrace traceAlongside(
            InetAddress localAddress,
            InetSocketAddress server,
            CompletionStage<InetSocketAddress> mapped,
            Duration budget) {
        long start = System.nanoTime();
        Optional<String> skip = skipReason(localAddress, server, budget);
        if (skip.isPresent()) {
            return skipped(skip.get(), Duration.ofNanos(System.nanoTime() - start));
        }
        return new Tracer(localAddress, server, mapped.toCompletableFuture(), start, budget).run();
    }

    /**
     * Links the native calls a trace makes and runs each once on loopback, and loads the trace's
     * classes (once per JVM: tens of
     * milliseconds on an idle machine, up to a few seconds on a loaded one), so that a later trace
     * spends its budget on the network; a caller can run this alongside other start-up work.
     * Returns why traces cannot run here, if they cannot; never throws.
     */
    public static Optional<String> prepare() {
        if (!LinuxUdp.AVAILABLE) {
            return Optional.of(unavailable());
        }
        try {
            ErrorQueueSocket.warmUp();
            // The trace's own classes too (its logger may be the first in the process).
            RouteToServer.read(new TtlAnswers(InetAddress.getLoopbackAddress(), 1));
            Tracer.load();
            return Optional.empty();
        } catch (IOException | RuntimeException | LinkageError e) {
            return Optional.of("path probe skipped: " + e);
        }
    }

    private static String unavailable() {
        return "path probe skipped: it reads ICMP errors through Linux's socket error queue, unavailable here ("
                + LinuxUdp.UNAVAILABLE_REASON + ")";
    }

    /** Why a trace cannot run here, if it cannot. */
    static Optional<String> skipReason(InetAddress localAddress, InetSocketAddress server, Duration budget) {
        if (!(localAddress instanceof Inet4Address) || !(server.getAddress() instanceof Inet4Address)) {
            return Optional.of("path probe skipped: IPv4 only");
        }
        if (server.getAddress().isLoopbackAddress() || localAddress.isLoopbackAddress()) {
            return Optional.of("path probe skipped: the server is on loopback, no path to probe");
        }
        if (budget.isNegative() || budget.isZero()) {
            return Optional.of("path probe skipped: no time left");
        }
        // Last: the first look at LinuxUdp links the native calls, which a skipped trace need not pay for.
        if (!LinuxUdp.AVAILABLE) {
            return Optional.of(unavailable());
        }
        return Optional.empty();
    }

    static PathTrace skipped(String note, Duration elapsed) {
        return new PathTrace(Status.SKIPPED, List.of(), OptionalInt.empty(), Optional.of(note), 0, elapsed);
    }
}
