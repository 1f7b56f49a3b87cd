package dev.natcheck.lab;

import static dev.natcheck.lab.LabAssumptions.assumeArtifact;
import static dev.natcheck.lab.LabAssumptions.assumeLab;
import static dev.natcheck.lab.LabAssumptions.assumeTool;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Agreement with real peers (issue 5): in the same topology, on the same addresses and ports,
 * coturn's natdiscovery gets the same mapping and filtering answer from our stun-server as from
 * coturn's turnserver, and natcheck gets the same verdict from turnserver as from ours.
 */
class AgreementTest {

    /** topology, natdiscovery's answer, natcheck's verdict, whether natcheck sees the mapping vary. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(Topology.CPE, "EIM/APDF", "CPE_NAT", false),
                Arguments.of(Topology.SYMMETRIC, "APDM/APDF", "SYMMETRIC_NAT", true),
                Arguments.of(Topology.FULLCONE, "EIM/EIF", "CPE_NAT", false));
    }

    @ParameterizedTest(name = "{0}: natdiscovery {1}")
    @MethodSource("table")
    void natdiscoveryGetsTheSameAnswerFromOurServerAsFromTurnserver(Topology topology, String expected, String verdict,
            boolean varies) {
        Lab lab = assumeLab();
        assumeTool("turnserver");
        assumeTool("turnutils_natdiscovery");
        Path stunJar = assumeArtifact(ProjectServers.STUN_JAR);
        try (LabNetwork net = lab.up(topology)) {
            LabFacts f = net.facts();
            LabProcess coturn = Coturn.startServer(net);
            NatDiscovery.Run againstCoturn = NatDiscovery.discover(net, f.client4(), f.server4(), Coturn.PORT);
            coturn.stop();
            // Our server on the very same addresses and ports; amplification allowed because
            // natdiscovery sends plain 20-byte requests.
            ProjectServers.startStun(net, stunJar, true);
            NatDiscovery.Run againstOurs = NatDiscovery.discover(net, f.client4(), f.server4(), ProjectServers.STUN_PORT);

            AgreementLog.record(topology, Family.IPV4, "turnutils_natdiscovery -m -f", "coturn turnserver",
                    againstCoturn.behaviour().summary());
            AgreementLog.record(topology, Family.IPV4, "turnutils_natdiscovery -m -f", "natcheck stun-server",
                    againstOurs.behaviour().summary());
            assertThat(againstCoturn.behaviour().summary()).as(againstCoturn.result()::describe).isEqualTo(expected);
            assertThat(againstOurs.behaviour().summary()).as(againstOurs.result()::describe).isEqualTo(expected);
            assertThat(againstOurs.behaviour().reflexiveHosts()).containsExactly(f.mapped4());
        }
    }

    @ParameterizedTest(name = "{0}: natcheck {2}")
    @MethodSource("table")
    void natcheckGetsTheSameVerdictFromTurnserverAsFromOurServer(Topology topology, String natdiscovery, String verdict,
            boolean varies) {
        Lab lab = assumeLab();
        assumeTool("turnserver");
        Path natcheck = assumeArtifact(NatcheckRun.JAR);
        Path stunJar = assumeArtifact(ProjectServers.STUN_JAR);
        try (LabNetwork net = lab.up(topology)) {
            LabFacts f = net.facts();
            List<String> args = List.of("-4", "-s", Family.hostPort(f.server4(), Coturn.PORT));
            LabProcess coturn = Coturn.startServer(net);
            NatcheckRun againstCoturn = NatcheckRun.run(net, natcheck, Duration.ofSeconds(60), args);
            coturn.stop();
            ProjectServers.startStun(net, stunJar, false);
            NatcheckRun againstOurs = NatcheckRun.run(net, natcheck, Duration.ofSeconds(60), args);

            NatcheckRun.Probe viaCoturn = againstCoturn.probe(Family.IPV4);
            NatcheckRun.Probe viaOurs = againstOurs.probe(Family.IPV4);
            AgreementLog.record(topology, Family.IPV4, "natcheck", "coturn turnserver", viaCoturn.verdict());
            AgreementLog.record(topology, Family.IPV4, "natcheck", "natcheck stun-server", viaOurs.verdict());
            assertThat(viaCoturn.verdict()).as(againstCoturn::describe).isEqualTo(verdict);
            assertThat(viaOurs.verdict()).as(againstOurs::describe).isEqualTo(verdict);
            assertThat(viaCoturn.nat()).isEqualTo(viaOurs.nat()).isEqualTo("CPE");
            assertThat(viaCoturn.mappingVariesByDestination()).as(againstCoturn::describe).isEqualTo(varies);
            assertThat(viaOurs.mappingVariesByDestination()).as(againstOurs::describe).isEqualTo(varies);
            assertThat(viaCoturn.mappedHost()).contains(f.mapped4());
            assertThat(viaOurs.mappedHost()).contains(f.mapped4());
        }
    }
}
