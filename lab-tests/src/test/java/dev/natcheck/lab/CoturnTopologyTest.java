package dev.natcheck.lab;

import static dev.natcheck.lab.LabAssumptions.assumeLab;
import static dev.natcheck.lab.LabAssumptions.assumeTool;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each topology seen by reference tools alone: coturn's natdiscovery against coturn's
 * turnserver. This proves the lab builds the NAT it claims, independently of natcheck.
 */
class CoturnTopologyTest {

    /** topology, family, what natdiscovery must conclude (mapping/filtering). */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(Topology.OPEN, Family.IPV4, "no NAT/EIF"),
                Arguments.of(Topology.CPE, Family.IPV4, "EIM/APDF"),
                Arguments.of(Topology.SYMMETRIC, Family.IPV4, "APDM/APDF"),
                Arguments.of(Topology.FULLCONE, Family.IPV4, "EIM/EIF"),
                Arguments.of(Topology.CGNAT_DIRECT, Family.IPV4, "EIM/APDF"),
                Arguments.of(Topology.CGNAT10, Family.IPV4, "EIM/APDF"),
                Arguments.of(Topology.CGNAT, Family.IPV4, "EIM/APDF"),
                Arguments.of(Topology.NAT66, Family.IPV6, "EIM/APDF"),
                Arguments.of(Topology.NAT66, Family.IPV4, "EIM/APDF"),
                Arguments.of(Topology.V6OPEN, Family.IPV6, "no NAT/EIF"),
                Arguments.of(Topology.V6OPEN, Family.IPV4, "EIM/APDF"));
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("table")
    void natdiscoveryAgainstTurnserverSeesTheTopologysNat(Topology topology, Family family, String expected) {
        Lab lab = assumeLab();
        assumeTool("turnserver");
        assumeTool("turnutils_natdiscovery");
        try (LabNetwork net = lab.up(topology)) {
            Coturn.startServer(net);
            NatDiscovery.Run run =
                    NatDiscovery.discover(net, family.client(net.facts()), family.server(net.facts()), Coturn.PORT);
            NatBehaviour seen = run.behaviour();
            AgreementLog.record(topology, family, "turnutils_natdiscovery -m -f", "coturn turnserver", seen.summary());
            assertThat(seen.summary()).as(run.result()::describe).isEqualTo(expected);
            assertThat(seen.reflexiveHosts()).as(run.result()::describe).containsExactly(family.mapped(net.facts()));
        }
    }
}
