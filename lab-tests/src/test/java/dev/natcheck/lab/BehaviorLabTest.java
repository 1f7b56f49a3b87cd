package dev.natcheck.lab;

import static dev.natcheck.lab.LabAssumptions.assumeArtifact;
import static dev.natcheck.lab.LabAssumptions.assumeLab;
import static dev.natcheck.lab.LabAssumptions.assumeTool;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NAT behaviour discovery in the lab: {@code natcheck --behavior} finds each topology's NAT behaviour (RFC 5780),
 * the same against coturn's turnserver as against natcheck's own stun-server, and the same as
 * coturn's {@code turnutils_natdiscovery -m -f} concludes there; in {@code lossy} it never names
 * a wrong class.
 */
class BehaviorLabTest {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(60);
    private static final List<String> FINDINGS = List.of("mapping", "filtering", "hairpin", "alg", "rfc3489_type");

    /** topology, family, mapping, filtering, hairpin, RFC 3489 name, natdiscovery's summary. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(
                        Topology.OPEN,
                        Family.IPV4,
                        "endpoint-independent",
                        "endpoint-independent",
                        true,
                        "open",
                        "no NAT/EIF"),
                Arguments.of(
                        Topology.CPE,
                        Family.IPV4,
                        "endpoint-independent",
                        "address-and-port-dependent",
                        false,
                        "port-restricted-cone",
                        "EIM/APDF"),
                Arguments.of(
                        Topology.SYMMETRIC,
                        Family.IPV4,
                        "address-and-port-dependent",
                        "address-and-port-dependent",
                        false,
                        "symmetric",
                        "APDM/APDF"),
                Arguments.of(
                        Topology.FULLCONE,
                        Family.IPV4,
                        "endpoint-independent",
                        "endpoint-independent",
                        false,
                        "full-cone",
                        "EIM/EIF"),
                Arguments.of(
                        Topology.V6OPEN,
                        Family.IPV6,
                        "endpoint-independent",
                        "endpoint-independent",
                        true,
                        "open",
                        "no NAT/EIF"),
                Arguments.of(
                        Topology.NAT66,
                        Family.IPV6,
                        "endpoint-independent",
                        "address-and-port-dependent",
                        false,
                        "port-restricted-cone",
                        "EIM/APDF"));
    }

    @ParameterizedTest(name = "{0} {1}: {2} mapping, {3} filtering, {5}")
    @MethodSource("table")
    void findsTheTopologysBehaviourWithEitherServerAsNatdiscoveryDoes(
            Topology topology,
            Family family,
            String mapping,
            String filtering,
            boolean hairpin,
            String name,
            String natdiscovery) {
        Lab lab = assumeLab();
        assumeTool("turnserver");
        assumeTool("turnutils_natdiscovery");
        Path natcheck = assumeArtifact(NatcheckRun.JAR);
        Path stunJar = assumeArtifact(ProjectServers.STUN_JAR);
        try (LabNetwork net = lab.up(topology)) {
            LabFacts f = net.facts();
            LabProcess coturn = Coturn.startServer(net);
            NatDiscovery.Run reference = NatDiscovery.discover(net, family.client(f), family.server(f), Coturn.PORT);
            Map<String, Object> viaCoturn = behavior(net, natcheck, family, f);
            coturn.stop();
            ProjectServers.startStun(net, stunJar, false);
            Map<String, Object> viaOurs = behavior(net, natcheck, family, f);

            AgreementLog.record(topology, family, "natcheck --behavior", "coturn turnserver", summary(viaCoturn));
            AgreementLog.record(topology, family, "natcheck --behavior", "natcheck stun-server", summary(viaOurs));
            assertThat(reference.behaviour().summary())
                    .as(reference.result()::describe)
                    .isEqualTo(natdiscovery);
            for (Map<String, Object> probe : List.of(viaCoturn, viaOurs)) {
                assertThat(probe.get("mapping")).as(probe::toString).isEqualTo(mapping);
                assertThat(probe.get("filtering")).as(probe::toString).isEqualTo(filtering);
                assertThat(probe.get("hairpin")).as(probe::toString).isEqualTo(hairpin);
                assertThat(probe.get("alg")).as(probe::toString).isEqualTo(false);
                assertThat(probe.get("rfc3489_type")).as(probe::toString).isEqualTo(name);
            }
            for (String finding : FINDINGS) {
                assertThat(viaOurs.get(finding)).as(finding).isEqualTo(viaCoturn.get(finding));
            }
        }
    }

    private static String summary(Map<String, Object> probe) {
        return probe.get("mapping") + "/" + probe.get("filtering") + "/" + probe.get("rfc3489_type");
    }

    /**
     * 30 % loss each way on the router (the lab's own {@code lossy} rule, harsher than the target's
     * uplink-only loss that lab/behavior-soak.sh measures 100 times): a few runs, each either right
     * or inconclusive in each finding, never another class.
     */
    @Test
    void lossNeverGivesAWrongClass() {
        Lab lab = assumeLab();
        assumeTool("turnserver");
        Path natcheck = assumeArtifact(NatcheckRun.JAR);
        try (LabNetwork net = lab.up(Topology.LOSSY, Map.of("NETLAB_LOSS", "0.3"))) {
            LabFacts f = net.facts();
            Coturn.startServer(net);
            int right = 0;
            for (int run = 0; run < 5; run++) {
                Map<String, Object> probe = behavior(net, natcheck, Family.IPV4, f);
                assertThat(probe.get("mapping")).as(probe::toString).isIn("endpoint-independent", null);
                assertThat(probe.get("filtering")).as(probe::toString).isIn("address-and-port-dependent", null);
                assertThat(probe.get("hairpin")).as(probe::toString).isIn(false, null);
                assertThat(probe.get("alg")).as(probe::toString).isIn(false, null);
                assertThat(probe.get("rfc3489_type")).as(probe::toString).isIn("port-restricted-cone", null);
                if ("port-restricted-cone".equals(probe.get("rfc3489_type"))) {
                    right++;
                }
            }
            assertThat(right).as("runs with the right RFC 3489 name, of 5").isGreaterThanOrEqualTo(3);
        }
    }

    /**
     * RFC 5780 section 4.6: with the router's conntrack UDP timeout set to 4 s (a setting of the
     * router's own namespace), {@code --lifetime 8s} finds the binding open after 2 s idle and gone
     * after 5 s. The idle times tested for 8 s are 1, 2, 5 and 8 s, so the figure is 2.0 and no
     * other: the check of each reaches the router later than its idle time, by the round trip
     * and whatever the loaded machine adds, which keeps a 4 s binding open at 2 s for any delay
     * below 2 s and can only make it more surely gone at 5 s.
     */
    @Test
    void lifetimeFindsTheRoutersUdpTimeout() {
        Lab lab = assumeLab();
        assumeTool("turnserver");
        Path natcheck = assumeArtifact(NatcheckRun.JAR);
        try (LabNetwork net = lab.up(Topology.CPE)) {
            LabFacts f = net.facts();
            ExecResult timer = net.exec(
                    Role.CPE, Duration.ofSeconds(10), "sysctl", "-w", "net.netfilter.nf_conntrack_udp_timeout=4");
            assertThat(timer.succeeded()).as(timer::describe).isTrue();
            Coturn.startServer(net);

            Map<String, Object> probe = behavior(net, natcheck, Family.IPV4, f, "--lifetime", "8s");

            assertThat(probe.get("binding_lifetime_s")).as(probe::toString).isEqualTo(2.0);
            assertThat(probe.get("evidence").toString()).contains("still open after 2 s idle, gone after 5 s");
            assertThat(probe.get("rfc3489_type")).isEqualTo("port-restricted-cone");
        }
    }

    /** Runs {@code natcheck -4|-6 -s SERVER --behavior -o json} in the client namespace; its one probe. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> behavior(
            LabNetwork net, Path natcheck, Family family, LabFacts f, String... extra) {
        List<String> command = new ArrayList<>(List.of(
                Lab.java().toString(),
                "-jar",
                natcheck.toString(),
                "-o",
                "json",
                family == Family.IPV4 ? "-4" : "-6",
                "-s",
                Family.hostPort(family.server(f), Coturn.PORT),
                "--behavior"));
        command.addAll(List.of(extra));
        ExecResult result = net.exec(Role.CLI, RUN_LIMIT, command);
        // Exit 1 is the probe's own BLOCKED verdict (in lossy its four UDP tries can all be lost);
        // the behaviour findings are in the document either way.
        assertThat(result.timedOut()).as(result::describe).isFalse();
        assertThat(result.exitCode()).as(result::describe).isIn(0, 1);
        Map<String, Object> document = (Map<String, Object>) Json.parse(result.stdout());
        assertThat(document.get("schema")).as(result::describe).isEqualTo(3.0);
        List<Object> probes = (List<Object>) document.get("probes");
        assertThat(probes).as(result::describe).hasSize(1);
        return (Map<String, Object>) probes.getFirst();
    }
}
