package dev.natcheck.cli;

import static dev.natcheck.cli.CheckCommandTest.closedTcpPort;
import static dev.natcheck.cli.CheckCommandTest.closedUdpPort;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natcheck.probe.InterfaceInfo;
import dev.natcheck.probe.ServerSpec;
import dev.natcheck.stun.ErrorCode;
import dev.natcheck.whoami.WhoamiConfig;
import dev.natcheck.whoami.WhoamiServer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Headlines and verdicts name what happened, over real loopback sockets: a refusal is not
 * silence, an answer without an address (a STUN error) is not a block, and a name that does not
 * resolve is said to be one.
 */
class HonestVerdictsTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static Run check(String server, int tcpPort, String... more) {
        List<String> args =
                new ArrayList<>(List.of("-i", "lo", "-4", "-s", server, "--tcp-port", String.valueOf(tcpPort)));
        args.addAll(List.of(more));
        if (!args.contains("--timeout")) {
            args.addAll(List.of("--timeout", "1s"));
        }
        return Run.of(UsageErrorsTest.OFFLINE, args.toArray(String[]::new));
    }

    private static String headline(Run run) {
        return run.out()
                .lines()
                .filter(l -> l.startsWith("lo ipv4: "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no headline in:\n" + run.out()));
    }

    @Test
    void aTypoedPortIsRefusedNotBlocked() throws Exception {
        try (WhoamiServer whoami = WhoamiServer.start(WhoamiConfig.loopbackEphemeral())) {
            Run run = check(
                    "127.0.0.1:" + closedUdpPort(),
                    whoami.boundAddresses().getFirst().getPort());

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(headline(run))
                    .contains("UDP refused (ICMP port unreachable: no STUN server on that port, "
                            + "or a firewall rejecting UDP), TCP gets through")
                    .doesNotContain("blocked");
        }
    }

    @Test
    void aStunErrorAnswerIsNotABlockUdpWorksAndTcpGivesTheAddress() throws Exception {
        try (HostileStunServer stun =
                        HostileStunServer.start(LOOPBACK, HostileStunServer.error(ErrorCode.SERVER_ERROR, "Busy"));
                WhoamiServer whoami = WhoamiServer.start(WhoamiConfig.loopbackEphemeral())) {
            Run text = check(stun.spec(), whoami.boundAddresses().getFirst().getPort());
            Run json = check(stun.spec(), whoami.boundAddresses().getFirst().getPort(), "-o", "json");
            JsonNode probe =
                    new ObjectMapper().readTree(json.out()).get("probes").get(0);

            assertThat(text.exitCode()).as(text.err()).isZero();
            assertThat(headline(text))
                    .startsWith("lo ipv4: no NAT, seen as 127.0.0.1:")
                    .contains("over TCP (the STUN server answered over UDP, but without an address)");
            assertThat(text.out()).doesNotContain("UDP is blocked").doesNotContain("UDP gets no answer");
            assertThat(probe.get("verdict").asText()).isEqualTo("NO_NAT");
            assertThat(probe.get("transport").asText()).isEqualTo("tcp");
            assertThat(probe.get("evidence").toString()).contains("UDP gets through", "answered with error 500 Busy");
        }
    }

    @Test
    void aStunErrorWithoutTcpIsAServerErrorNotBlocked() throws Exception {
        try (HostileStunServer stun =
                HostileStunServer.start(LOOPBACK, HostileStunServer.error(ErrorCode.SERVER_ERROR, "Busy"))) {
            Run run = check(stun.spec(), closedTcpPort(), "-o", "brief");
            Run text = check(stun.spec(), closedTcpPort());

            assertThat(run.out()).isEqualTo("lo\tipv4\tSERVER_ERROR\t-\t-\n");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(headline(text))
                    .contains("the servers answered without an address")
                    .contains("the path works, the server is at fault");
            assertThat(text.err())
                    .contains("no interface learned its outside address")
                    .doesNotContain("nothing answered");
            // The metric too: an error answer proves UDP gets through.
            assertThat(check(stun.spec(), closedTcpPort(), "-o", "prometheus").out())
                    .contains(
                            "natcheck_verdict_info{interface=\"lo\",family=\"ipv4\",verdict=\"SERVER_ERROR\",nat=\"UNKNOWN\"} 1")
                    .contains("natcheck_udp_reachable{interface=\"lo\",family=\"ipv4\"} 1");
        }
    }

    @Test
    void aSuccessWithoutAnAddressIsAServerErrorToo() throws Exception {
        try (HostileStunServer stun =
                HostileStunServer.start(LOOPBACK, HostileStunServer.successWithoutAddress("empty"))) {
            Run run = check(stun.spec(), closedTcpPort(), "-o", "json");
            JsonNode probe =
                    new ObjectMapper().readTree(run.out()).get("probes").get(0);

            assertThat(probe.get("verdict").asText()).isEqualTo("SERVER_ERROR");
            assertThat(probe.get("evidence").toString())
                    .contains("success answer without XOR-MAPPED-ADDRESS or MAPPED-ADDRESS ignored");
        }
    }

    @Test
    void refusedEverywhereIsRefusedNotSilence() throws Exception {
        Run run = check("127.0.0.1:" + closedUdpPort(), closedTcpPort());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(headline(run))
                .isEqualTo("lo ipv4: refused: UDP (ICMP port unreachable) and TCP (reset) alike, "
                        + "nothing listens there or a firewall rejects it");
    }

    @Test
    void silenceThenARefusedTcpSaysBoth() throws Exception {
        try (DatagramSocket blackHole = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            Run run = check("127.0.0.1:" + blackHole.getLocalPort(), closedTcpPort(), "--timeout", "600ms");

            assertThat(headline(run))
                    .isEqualTo("lo ipv4: nothing answered: no answer over UDP, TCP refused (connection reset)");
        }
    }

    @Test
    void namesThatDoNotResolveAreSaidToBeDnsOnStderrAndInJson() throws Exception {
        Environment noDns = new Environment(
                List.of(new ServerSpec("stun.example.org", 3478), new ServerSpec("stun2.example.org", 3478)),
                host -> {
                    throw new UnknownHostException(host);
                },
                // A documentation address: nothing is sent, since no server has an address to send to.
                () -> List.of(new InterfaceInfo("eth0", true, false, List.of(InetAddress.ofLiteral("198.51.100.5")))));

        Run run = Run.of(noDns, "-4", "-o", "json", "--timeout", "1s");
        JsonNode probes = new ObjectMapper().readTree(run.out()).get("probes");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(probes).hasSize(1);
        assertThat(probes.get(0).get("interface").asText()).isEqualTo("eth0");
        assertThat(probes.get(0).get("verdict").asText()).isEqualTo("UNRESOLVED");
        assertThat(probes.get(0).get("transport").isNull()).isTrue();
        assertThat(probes.get(0).get("evidence").toString())
                .contains("no server name resolved", "server stun.example.org:3478: does not resolve");
        assertThat(run.err().lines())
                .singleElement()
                .asString()
                .isEqualTo("natcheck: no server name resolved, so nothing could be checked (is DNS working?): "
                        + "stun.example.org:3478: does not resolve; stun2.example.org:3478: does not resolve");

        // Nothing to check is another thing: no interface, an empty array, and no word of DNS.
        Environment noInterface = new Environment(noDns.defaultServers(), noDns.resolver(), List::of);
        Run empty = Run.of(noInterface, "-4", "-o", "json");
        assertThat(new ObjectMapper().readTree(empty.out()).get("probes")).isEmpty();
        assertThat(empty.err()).doesNotContain("resolve");
    }
}
