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
 * Agreement with real peers: in the same topology, on the same addresses and ports,
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

    /** Every row of the table, once with plain requests and once with natdiscovery's -P padding. */
    static Stream<Arguments> natdiscoveryTable() {
        return table().flatMap(row -> Stream.of(false, true).map(padded -> {
            Object[] a = row.get();
            return Arguments.of(a[0], a[1], padded);
        }));
    }

    @ParameterizedTest(name = "{0}: natdiscovery {1}, padded {2}")
    @MethodSource("natdiscoveryTable")
    void natdiscoveryGetsTheSameAnswerFromOurServerAsFromTurnserver(
            Topology topology, String expected, boolean padded) {
        Lab lab = assumeLab();
        assumeTool("turnserver");
        assumeTool("turnutils_natdiscovery");
        Path stunJar = assumeArtifact(ProjectServers.STUN_JAR);
        try (LabNetwork net = lab.up(topology)) {
            LabFacts f = net.facts();
            LabProcess coturn = Coturn.startServer(net);
            NatDiscovery.Run againstCoturn = NatDiscovery.discover(net, f.client4(), f.server4(), Coturn.PORT, padded);
            coturn.stop();
            // Our server on the very same addresses and ports. Plain natdiscovery requests are 20
            // bytes, so answering them needs --allow-amplification; padded ones (-P) are answered
            // in the default mode, which is how a public deployment runs.
            ProjectServers.startStun(net, stunJar, !padded);
            NatDiscovery.Run againstOurs =
                    NatDiscovery.discover(net, f.client4(), f.server4(), ProjectServers.STUN_PORT, padded);

            String client = "turnutils_natdiscovery -m -f" + (padded ? " -P" : "");
            String ours = "natcheck stun-server" + (padded ? "" : " --allow-amplification");
            AgreementLog.record(
                    topology,
                    Family.IPV4,
                    client,
                    "coturn turnserver",
                    againstCoturn.behaviour().summary());
            AgreementLog.record(
                    topology, Family.IPV4, client, ours, againstOurs.behaviour().summary());
            assertThat(againstCoturn.behaviour().summary())
                    .as(againstCoturn.result()::describe)
                    .isEqualTo(expected);
            assertThat(againstOurs.behaviour().summary())
                    .as(againstOurs.result()::describe)
                    .isEqualTo(expected);
            assertThat(againstOurs.behaviour().reflexiveHosts()).containsExactly(f.mapped4());
        }
    }

    @ParameterizedTest(name = "{0}: natcheck {2}")
    @MethodSource("table")
    void natcheckGetsTheSameVerdictFromTurnserverAsFromOurServer(
            Topology topology, String natdiscovery, String verdict, boolean varies) {
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
            assertThat(viaCoturn.mappingVariesByDestination())
                    .as(againstCoturn::describe)
                    .isEqualTo(varies);
            assertThat(viaOurs.mappingVariesByDestination())
                    .as(againstOurs::describe)
                    .isEqualTo(varies);
            assertThat(viaCoturn.mappedHost()).contains(f.mapped4());
            assertThat(viaOurs.mappedHost()).contains(f.mapped4());
        }
    }
}
