package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natcheck.probe.InterfaceInfo;
import dev.natcheck.probe.ServerSpec;
import dev.natcheck.whoami.WhoamiConfig;
import dev.natcheck.whoami.WhoamiServer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The check end to end over loopback: real sockets, the real whoami server, scripted failures. */
class CheckCommandTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    /** Default servers that cannot answer: a name that does not resolve, and a UDP socket that never replies. */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void unreachableDefaultServersEndWithinTheTimeoutNameTheServersAndExitOne() throws Exception {
        try (DatagramSocket blackHole = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            Environment environment = new Environment(
                    List.of(
                            new ServerSpec("stun.unresolvable.test", 3478),
                            new ServerSpec("127.0.0.1", blackHole.getLocalPort())),
                    host -> {
                        throw new UnknownHostException(host);
                    },
                    () -> List.of(new InterfaceInfo("lo", true, true, List.of(LOOPBACK))));

            Run run = Run.of(
                    environment,
                    "-i",
                    "lo",
                    "-4",
                    "--timeout",
                    "1s",
                    "--tcp-port",
                    String.valueOf(closedTcpPort()),
                    "-o",
                    "brief");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).isEqualTo("lo\tipv4\tBLOCKED\t-\t-\n");
            assertThat(run.err())
                    .contains(
                            "nothing answered on any interface",
                            "servers tried: stun.unresolvable.test:3478, 127.0.0.1:" + blackHole.getLocalPort());
        }
    }

    @Test
    void evidenceSaysWhichServersFailedAndHow() throws Exception {
        try (DatagramSocket blackHole = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            Environment environment = new Environment(
                    List.of(
                            new ServerSpec("stun.unresolvable.test", 3478),
                            new ServerSpec("127.0.0.1", blackHole.getLocalPort())),
                    host -> {
                        throw new UnknownHostException(host);
                    },
                    () -> List.of(new InterfaceInfo("lo", true, true, List.of(LOOPBACK))));

            Run run = Run.of(
                    environment,
                    "-i",
                    "lo",
                    "-4",
                    "--timeout",
                    "600ms",
                    "--tcp-port",
                    String.valueOf(closedTcpPort()),
                    "-o",
                    "json");
            JsonNode probe =
                    new ObjectMapper().readTree(run.out()).get("probes").get(0);

            assertThat(probe.get("verdict").asText()).isEqualTo("BLOCKED");
            assertThat(probe.get("evidence").toString())
                    .contains(
                            "server stun.unresolvable.test:3478: does not resolve",
                            "127.0.0.1:" + blackHole.getLocalPort() + ": no valid answer after",
                            "connection refused");
        }
    }

    @Test
    void icmpRejectedUdpFallsBackToTheRealWhoamiServer() throws Exception {
        try (WhoamiServer whoami = WhoamiServer.start(WhoamiConfig.loopbackEphemeral())) {
            int tcpPort = whoami.boundAddresses().getFirst().getPort();
            Path prom = dir.resolve("natcheck.prom");

            Run run = Run.of(
                    UsageErrorsTest.OFFLINE,
                    "-i",
                    "lo",
                    "-4",
                    "-s",
                    "127.0.0.1:" + closedUdpPort(),
                    "--tcp-port",
                    String.valueOf(tcpPort),
                    "-o",
                    "json",
                    "--prometheus-file",
                    prom.toString());
            JsonNode probe =
                    new ObjectMapper().readTree(run.out()).get("probes").get(0);

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(probe.get("transport").asText()).isEqualTo("tcp");
            assertThat(probe.get("verdict").asText()).isEqualTo("UDP_BLOCKED");
            assertThat(probe.get("nat").asText()).isEqualTo("NONE");
            assertThat(probe.get("mapped").asText())
                    .isEqualTo(probe.get("local").asText())
                    .startsWith("127.0.0.1:");
            assertThat(probe.get("server").asText()).isEqualTo("127.0.0.1:" + tcpPort);
            assertThat(probe.get("evidence").toString()).contains("ICMP port unreachable", "TCP fallback started");
            assertThat(Files.readString(prom))
                    .contains(
                            "natcheck_verdict_info{interface=\"lo\",family=\"ipv4\",verdict=\"UDP_BLOCKED\",nat=\"NONE\"} 1",
                            "natcheck_udp_reachable{interface=\"lo\",family=\"ipv4\"} 0");
            promtoolAccepts(Files.readString(prom));
        }
    }

    /**
     * {@code promtool check metrics} (Debian's prometheus package) on the textfile, as
     * node_exporter's textfile collector reads it: the format and its lint rules.
     */
    private static void promtoolAccepts(String exposition) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/promtool")),
                "promtool not installed (apt-get install prometheus)");
        Process promtool = new ProcessBuilder("/usr/bin/promtool", "check", "metrics")
                .redirectErrorStream(true)
                .start();
        promtool.getOutputStream().write(exposition.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String report = new String(promtool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(promtool.waitFor()).as("promtool check metrics: %s", report).isZero();
    }

    @Test
    void aFamilyNoServerHasIsNotProbedRatherThanCalledBlocked() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        Environment dualStackLoopback = new Environment(
                List.of(),
                host -> {
                    throw new UnknownHostException(host);
                },
                () -> List.of(new InterfaceInfo("lo", true, true, List.of(LOOPBACK, v6))));
        Run run = Run.of(
                dualStackLoopback,
                "-i",
                "lo",
                "-s",
                "127.0.0.1:" + closedUdpPort(),
                "--tcp-port",
                String.valueOf(closedTcpPort()),
                "-o",
                "brief",
                "--timeout",
                "1s");

        // Both ports are closed on loopback: ICMP port unreachable and a reset, not silence.
        assertThat(run.out()).isEqualTo("lo\tipv4\tREFUSED\t-\t-\n");
        assertThat(run.err()).contains("natcheck: lo ipv6: not probed, no server has an IPv6 address");
        assertThat(run.exitCode()).isEqualTo(1);

        Run quiet = Run.of(
                dualStackLoopback,
                "-q",
                "-i",
                "lo",
                "-s",
                "127.0.0.1:" + closedUdpPort(),
                "--tcp-port",
                String.valueOf(closedTcpPort()),
                "-o",
                "brief",
                "--timeout",
                "1s");
        assertThat(quiet.out()).isEqualTo(run.out());
        assertThat(quiet.err()).as("-q: errors only, no notices").isEmpty();
        assertThat(quiet.exitCode()).isEqualTo(1);
    }

    @Test
    void asnLooksUpEachAddressAndReportsTheUnknownOnes() throws Exception {
        Path db = Files.writeString(
                dir.resolve("ip2asn.tsv"),
                "198.51.100.0\t198.51.100.255\t64500\tZZ\tEXAMPLE-CARRIER\n2001:db8::\t2001:db8:ffff:ffff:ffff:ffff:ffff:ffff\t64501\tZZ\tEXAMPLE-V6\n");

        Run run = Run.of(
                UsageErrorsTest.OFFLINE,
                "asn",
                "--asn-db",
                db.toString(),
                "198.51.100.7",
                "2001:db8:0:0::1",
                "192.0.2.1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .isEqualTo("198.51.100.7\t64500\t198.51.100.0/24\tEXAMPLE-CARRIER\n"
                        + "2001:db8::1\t64501\t2001:db8::/32\tEXAMPLE-V6\n");
        assertThat(run.err().strip())
                .isEqualTo("natcheck asn: 192.0.2.1: not announced / unknown to iptoasn file " + db);
    }

    @Test
    void asnTakesTheDatabaseFromBeforeTheSubcommandToo() throws Exception {
        Path db = Files.writeString(dir.resolve("ip2asn.tsv"), "198.51.100.0\t198.51.100.255\t64500\tZZ\tX\n");

        Run run = Run.of(UsageErrorsTest.OFFLINE, "--asn-db", db.toString(), "asn", "198.51.100.1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("198.51.100.1\t64500\t198.51.100.0/24\tX\n");
    }

    @Test
    void asnExitsZeroWhenEverythingIsKnown() throws Exception {
        Path db = Files.writeString(dir.resolve("ip2asn.tsv"), "198.51.100.0\t198.51.100.255\t64500\tZZ\tX\n");

        assertThat(Run.of(UsageErrorsTest.OFFLINE, "asn", "--asn-db", db.toString(), "198.51.100.1")
                        .exitCode())
                .isZero();
    }

    @Test
    void noInterfaceToProbeSaysSoAndExitsOne() {
        Environment noInterfaces = new Environment(
                List.of(new ServerSpec("127.0.0.1", 9)),
                host -> {
                    throw new UnknownHostException(host);
                },
                List::of);

        Run run = Run.of(noInterfaces, "-o", "json");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("\"probes\": []");
        assertThat(run.err()).contains("no interface to probe", "Try --local");
    }

    static int closedTcpPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        }
    }

    static int closedUdpPort() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return socket.getLocalPort();
        }
    }
}
