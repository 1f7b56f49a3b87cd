package dev.natcheck.lab;

import static dev.natcheck.lab.LabAssumptions.assumeArtifact;
import static dev.natcheck.lab.LabAssumptions.assumeLab;
import static dev.natcheck.lab.LabAssumptions.assumeTool;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What gets through the filtering topologies, checked with bare sockets: single STUN requests
 * to coturn over UDP, the whoami line over TCP read by bash.
 */
class ReachabilityTest {

    /** topology, what each of 3 UDP requests meets, whether the TCP echo answers. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(Topology.CPE, "answered", true),
                Arguments.of(Topology.UDPBLOCKED, "timeout", true),
                Arguments.of(Topology.UDPREJECT, "refused", true),
                Arguments.of(Topology.ALLBLOCKED, "timeout", false));
    }

    @ParameterizedTest(name = "{0}: udp {1}, tcp {2}")
    @MethodSource("table")
    void udpAndTcpGetThroughAsTheTopologySays(Topology topology, String udpOutcome, boolean tcpAnswers) {
        Lab lab = assumeLab();
        assumeTool("turnserver");
        Path whoamiJar = assumeArtifact(ProjectServers.WHOAMI_JAR);
        try (LabNetwork net = lab.up(topology)) {
            Coturn.startServer(net);
            ProjectServers.startWhoami(net, whoamiJar);
            ExecResult udp = net.exec(
                    Role.CLI,
                    Duration.ofSeconds(30),
                    UdpCheck.command(net.facts().server4(), Coturn.PORT, 3, Duration.ofMillis(700)));
            assertThat(udp.succeeded()).as(udp::describe).isTrue();
            assertThat(udp.stdoutLines()).as(udp::describe).startsWith(udpOutcome, udpOutcome, udpOutcome);

            ExecResult tcp = ProjectServers.whoamiLine(net, net.facts().server4());
            if (tcpAnswers) {
                assertThat(tcp.stdout())
                        .as(tcp::describe)
                        .matches(net.facts().mapped4().replace(".", "\\.") + ":\\d+\n");
            } else {
                assertThat(tcp.succeeded()).as(tcp::describe).isFalse();
                assertThat(tcp.stdout()).isEmpty();
            }
        }
    }

    @Test
    void lossyDropsSomeDatagramsButNotAll() {
        Lab lab = assumeLab();
        assumeTool("turnserver");
        // 20 % each way: a request and its answer both survive 64 % of the time. Bounds far in
        // the tails of Binomial(40, 0.64) (mean 25.6, sd 3.0), so chance alone never fails this.
        try (LabNetwork net = lab.up(Topology.LOSSY, Map.of("NETLAB_LOSS", "0.2"))) {
            Coturn.startServer(net);
            ExecResult udp = net.exec(
                    Role.CLI,
                    Duration.ofSeconds(60),
                    UdpCheck.command(net.facts().server4(), Coturn.PORT, 40, Duration.ofMillis(300)));
            UdpCheck.Summary summary = UdpCheck.Summary.parse(udp);
            assertThat(summary.refused()).isZero();
            assertThat(summary.answered()).as(udp::describe).isBetween(8, 38);
            assertThat(summary.timeout()).isEqualTo(40 - summary.answered());
        }
    }
}
