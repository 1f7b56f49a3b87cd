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
 * assertions). Each bound that catches a false claim sits where the false behaviour cannot get
 * under it: waiting out a silent server or an idle time never ends early, however fast the
 * machine. What a slow machine adds (loading classes, starting servers, scheduling) only
 * lengthens a run, so the room left for it is a second or more, and a run measured against a
 * baseline run of the same test does not count it at all.
 */
class HelpClaimsIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** --timeout of the behaviour test: names get 30 % of it (1.2 s), the slow one takes 1 s. */
    private static final Duration TIMEOUT = Duration.ofSeconds(4);

    private static final Duration SLOW_NAME = Duration.ofSeconds(1);

    /** --lifetime of the lifetime test. */
    private static final Duration MAX = Duration.ofSeconds(2);

    /**
     * "--behavior ... Runs alongside the probes, inside the same --timeout": even when a name
     * takes a second to resolve, the behaviour tests end with the probes' own deadline, not a
     * full timeout after the name resolved. Every server is silent, so that false behaviour
     * could not end before the name's second plus the whole timeout (5 s); the claimed one ends
     * at the timeout (4 s) and has the second between them for a slow machine's overhead. A
     * first run, untimed, loads the classes a first run in a fresh JVM would otherwise count.
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
                            Thread.sleep(SLOW_NAME.toMillis());
                        } catch (InterruptedException e) {
                            throw new java.net.UnknownHostException(host + ": gave up");
                        }
                        return List.of(LOOPBACK);
                    },
                    () -> List.of(new InterfaceInfo("lo", true, true, List.of(LOOPBACK))));

            String tcpPort = String.valueOf(silentTcp.getLocalPort());
            Run warmUp = Run.of(
                    slowDns,
                    "-i",
                    "lo",
                    "-4",
                    "-s",
                    "127.0.0.1:" + silentUdp.getLocalPort(),
                    "--tcp-port",
                    tcpPort,
                    "--timeout",
                    "1s",
                    "--behavior",
                    "-o",
                    "brief");
            assertThat(warmUp.out()).startsWith("lo\tipv4\tBLOCKED\t-\t");

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
                    tcpPort,
                    "--timeout",
                    Converters.text(TIMEOUT),
                    "--behavior",
                    "-o",
                    "brief");
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(run.out()).startsWith("lo\tipv4\tBLOCKED\t-\t");
            assertThat(elapsed).as("--timeout 4s --behavior, a name taking 1 s").isLessThan(TIMEOUT.plus(SLOW_NAME));
        }
    }

    /**
     * "--lifetime ... The run then takes about MAX longer": at least MAX (the longest idle time is
     * waited out), and not much more than the same run without --lifetime, which goes first (and
     * so also bears the loading of classes and the first start of the servers). Waiting out its
     * own deadline instead of ending when the last check settles would take 10 s more.
     */
    @Test
    void lifetimeTakesAboutMaxLonger() {
        String[] check = {"--local", "-4", "--timeout", "1s", "--behavior", "-o", "json"};
        long start = System.nanoTime();
        Run baseline = Run.of(UsageErrorsTest.OFFLINE, check);
        Duration withoutLifetime = Duration.ofNanos(System.nanoTime() - start);
        start = System.nanoTime();
        Run run = Run.of(UsageErrorsTest.OFFLINE, concat(check, "--lifetime", Converters.text(MAX)));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(baseline.exitCode()).as(baseline.err()).isZero();
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"binding_lifetime_s\": 2");
        assertThat(elapsed).as("--lifetime 2s").isGreaterThanOrEqualTo(MAX);
        assertThat(elapsed.minus(withoutLifetime))
                .as("--lifetime 2s against the same run without it (%s)", withoutLifetime)
                // Half the 10 s the false behaviour adds: room for a loaded CI machine, none for it.
                .isLessThan(MAX.plusSeconds(5));
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
