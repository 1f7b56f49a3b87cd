package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.probe.InterfaceInfo;
import dev.natcheck.probe.ServerSpec;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The numbers the help states, held against the clock (an integration test: the only timing
 * assertions, with margins of half a second and more either way).
 */
class HelpClaimsIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /**
     * "--behavior ... Runs alongside the probes, inside the same --timeout": even when a name
     * takes a second to resolve, the behaviour tests end with the probes' own deadline, not a
     * full timeout after the name resolved (which would be 5 s here).
     */
    @Test
    void behaviorEndsWithinTheTimeoutEvenAfterASlowName() throws Exception {
        try (DatagramSocket silentUdp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                DatagramSocket silentUdp2 = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                // Accepts connections in the kernel's backlog and never writes: TCP stays silent too.
                ServerSocket silentTcp = new ServerSocket(0, 50, LOOPBACK)) {
            Environment slowDns = new Environment(
                    List.of(),
                    host -> {
                        try {
                            Thread.sleep(1000);
                        } catch (InterruptedException e) {
                            throw new java.net.UnknownHostException(host + ": gave up");
                        }
                        return List.of(LOOPBACK);
                    },
                    () -> List.of(new InterfaceInfo("lo", true, true, List.of(LOOPBACK))));

            long start = System.nanoTime();
            Run run = Run.of(
                    slowDns,
                    "-i",
                    "lo",
                    "-4",
                    "-s",
                    "127.0.0.1:" + silentUdp.getLocalPort(),
                    "-s",
                    new ServerSpec("slow.example.org", silentUdp2.getLocalPort()).toString(),
                    "--tcp-port",
                    String.valueOf(silentTcp.getLocalPort()),
                    "--timeout",
                    "4s",
                    "--behavior",
                    "-o",
                    "brief");
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(run.out()).startsWith("lo\tipv4\tBLOCKED\t-\t");
            assertThat(elapsed).as("--timeout 4s --behavior").isLessThan(Duration.ofMillis(4500));
        }
    }

    /** "--lifetime ... The run then takes about MAX longer": at least MAX, and not much more. */
    @Test
    void lifetimeTakesAboutMaxLonger() {
        long start = System.nanoTime();
        Run run = Run.of(UsageErrorsTest.OFFLINE, "--local", "-4", "--timeout", "1s", "--lifetime", "2s", "-o", "json");
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"binding_lifetime_s\": 2");
        assertThat(elapsed).isBetween(Duration.ofSeconds(2), Duration.ofMillis(2000 + 1000 + 2000));
    }
}
