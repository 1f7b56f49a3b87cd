package dev.natcheck.probe;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The UDP_STUN state's work: a STUN binding from the target's address, and the symmetric-mapping check. */
@FunctionalInterface
public interface UdpStage {

    /** Asks every server in parallel; returns the first valid answer, or why there was none, by {@code deadline}. */
    Result bind(ProbeTarget target, List<ResolvedServer> servers, Deadline deadline) throws InterruptedException;

    /** How the UDP stage ended. */
    sealed interface Result {
        List<String> notes();
    }

    /**
     * A valid Binding success response.
     *
     * @param mappingVariesByDestination the second binding's verdict; empty when it could not run
     */
    record Bound(
            InetSocketAddress local,
            ResolvedServer server,
            InetSocketAddress mapped,
            Duration rtt,
            Optional<Boolean> mappingVariesByDestination,
            List<String> notes)
            implements Result {
        public Bound {
            notes = List.copyOf(notes);
        }
    }

    /** Nothing came back by the deadline (answers from any other address are dropped by the kernel). */
    record TimedOut(List<String> notes) implements Result {
        public TimedOut {
            notes = List.copyOf(notes);
        }
    }

    /**
     * Servers answered, but no answer was usable: a STUN error, a success without a mapped
     * address of the probe's family, a malformed message. UDP gets through; the servers are at
     * fault (or something on the path mangles the answers).
     */
    record Unusable(List<String> notes) implements Result {
        public Unusable {
            notes = List.copyOf(notes);
        }
    }

    /**
     * Every server was rejected with ICMP (port or network unreachable) before the deadline.
     *
     * @param rejectedAtNanos {@link System#nanoTime()} when the last rejection arrived
     */
    record Unreachable(long rejectedAtNanos, List<String> notes) implements Result {
        public Unreachable {
            notes = List.copyOf(notes);
        }
    }
}
