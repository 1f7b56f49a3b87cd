package dev.natcheck.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.natcheck.linux.LinuxUdp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * When a trace does not run, it says why and returns at once, sending nothing. (Traces that run
 * are proven in the network-namespace lab: lab-tests' PathTraceLabTest.)
 */
class PathTraceTest {

    private static final InetAddress LAN = InetAddress.ofLiteral("192.168.1.2");
    private static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.ofLiteral("203.0.113.10"), 3478);
    private static final InetSocketAddress MAPPED = new InetSocketAddress(InetAddress.ofLiteral("198.51.100.2"), 40000);

    private static void assertSkipped(PathTrace trace, String note) {
        assertThat(trace.status()).isEqualTo(PathTrace.Status.SKIPPED);
        assertThat(trace.hops()).isEmpty();
        assertThat(trace.outermostNatDistance()).isEmpty();
        assertThat(trace.probesSent()).isZero();
        assertThat(trace.note()).hasValueSatisfying(n -> assertThat(n).contains(note));
    }

    @Test
    void ipv6IsSkipped() {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.ofLiteral("2001:db8:f::10"), 3478);
        assertSkipped(
                PathTrace.trace(InetAddress.ofLiteral("2001:db8:3::2"), v6, null, PathTrace.DEFAULT_BUDGET),
                "IPv4 only");
        assertSkipped(PathTrace.trace(LAN, v6, MAPPED, PathTrace.DEFAULT_BUDGET), "IPv4 only");
    }

    @Test
    void aLoopbackServerIsSkipped() {
        InetSocketAddress local = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 3478);
        assertSkipped(PathTrace.trace(LAN, local, MAPPED, PathTrace.DEFAULT_BUDGET), "on loopback");
    }

    @Test
    void noBudgetIsSkipped() {
        assertSkipped(PathTrace.trace(LAN, SERVER, MAPPED, Duration.ZERO), "no time left");
    }

    @Test
    void withoutTheLinuxCallsItIsSkippedSayingWhy() {
        // This module's tests run without --enable-native-access, as an embedder might.
        assumeFalse(LinuxUdp.AVAILABLE, "native access is enabled in this JVM");
        assertSkipped(
                PathTrace.traceAlongside(LAN, SERVER, new CompletableFuture<>(), PathTrace.DEFAULT_BUDGET),
                "path probe skipped: it reads ICMP errors through Linux's socket error queue, unavailable here ("
                        + LinuxUdp.UNAVAILABLE_REASON + ")");
    }
}
