package dev.natcheck.lab;

import static dev.natcheck.lab.LabAssumptions.assumeArtifact;
import static dev.natcheck.lab.LabAssumptions.assumeLab;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * natcheck end to end: the project's stun-server (primary + alternate) and whoami-server in the
 * server namespace, the natcheck jar with {@code -o json} in the client namespace, one row of
 * expectations per topology.
 */
class NatcheckEndToEndTest {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(60);
    /** The lab ASN database's AS for the stand-in access network 198.51.100.0/24. */
    private static final String CARRIER_ASN = "64500";

    /** What one natcheck probe must report; {@code mapped} false means "nothing answered". */
    record Expected(String verdict, String nat, String transport, boolean mapped, MappingCheck mapping, int exit) {}

    /** What "mapping_varies_by_destination" must say. */
    enum MappingCheck {
        SAME(false),
        VARIES(true),
        NOT_RUN(null),
        /** Under random loss the second binding may go unanswered, but must never differ. */
        SAME_OR_NOT_RUN(null);

        private final Boolean json;

        MappingCheck(Boolean json) {
            this.json = json;
        }

        boolean accepts(Boolean varies) {
            return this == SAME_OR_NOT_RUN ? !Boolean.TRUE.equals(varies) : Objects.equals(json, varies);
        }
    }

    static Stream<Arguments> table() {
        return Stream.of(
                row(Topology.OPEN, Family.IPV4, List.of(), udp("NO_NAT", "NONE", MappingCheck.SAME)),
                row(Topology.CPE, Family.IPV4, List.of(), udp("CPE_NAT", "CPE", MappingCheck.SAME)),
                row(Topology.SYMMETRIC, Family.IPV4, List.of(), udp("SYMMETRIC_NAT", "CPE", MappingCheck.VARIES)),
                row(Topology.FULLCONE, Family.IPV4, List.of(), udp("CPE_NAT", "CPE", MappingCheck.SAME)),
                row(Topology.CGNAT_DIRECT, Family.IPV4, List.of(), udp("CG_NAT", "CGNAT", MappingCheck.SAME)),
                // 10.x behind an AS that is not in the CPE allow-list: the carrier's NAT.
                row(
                        Topology.CGNAT10,
                        Family.IPV4,
                        List.of("--asn-db", "@asn-db", "--cpe-asn", "64501"),
                        udp("CG_NAT", "CGNAT", MappingCheck.SAME)),
                // The same network with the AS allowed: a home router that hands out 10.x.
                row(
                        Topology.CGNAT10,
                        Family.IPV4,
                        List.of("--asn-db", "@asn-db", "--cpe-asn", CARRIER_ASN + ",64501"),
                        udp("CPE_NAT", "CPE", MappingCheck.SAME)),
                // Double NAT shows only through the gateway's own external address (NAT-PMP/PCP),
                // which the lab's CPE does not offer: the client sees a home router's NAT.
                // A home router behind a carrier NAT: the path shows the carrier's 100.64.0.0/10 hop.
                // A long --timeout: a starved JVM must still have time left for the path after the probe.
                row(
                        Topology.CGNAT,
                        Family.IPV4,
                        List.of("--timeout", "15s"),
                        udp("CG_NAT", "CGNAT", MappingCheck.SAME)),
                row(Topology.UDPBLOCKED, Family.IPV4, List.of(), tcp("UDP_BLOCKED", "CPE")),
                row(Topology.UDPREJECT, Family.IPV4, List.of(), tcp("UDP_BLOCKED", "CPE")),
                row(
                        Topology.ALLBLOCKED,
                        Family.IPV4,
                        List.of(),
                        new Expected("BLOCKED", "UNKNOWN", null, false, MappingCheck.NOT_RUN, 1)),
                row(Topology.NAT66, Family.IPV6, List.of(), udp("NAT66", "NAT66", MappingCheck.SAME)),
                row(Topology.V6OPEN, Family.IPV6, List.of(), udp("NO_NAT", "NONE", MappingCheck.SAME)),
                // Retransmission carries the probe through 20 % loss each way.
                row(
                        Topology.LOSSY,
                        Family.IPV4,
                        List.of("--timeout", "10s"),
                        udp("CPE_NAT", "CPE", MappingCheck.SAME_OR_NOT_RUN)));
    }

    private static Expected udp(String verdict, String nat, MappingCheck mapping) {
        return new Expected(verdict, nat, "udp", true, mapping, 0);
    }

    private static Expected tcp(String verdict, String nat) {
        return new Expected(verdict, nat, "tcp", true, MappingCheck.NOT_RUN, 0);
    }

    private static Arguments row(Topology topology, Family family, List<String> args, Expected expected) {
        return Arguments.of(topology, family, args, expected);
    }

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @MethodSource("table")
    void natcheckReportsTheTopologysVerdict(Topology topology, Family family, List<String> args, Expected expected)
            throws IOException {
        Lab lab = assumeLab();
        Path natcheck = assumeArtifact(NatcheckRun.JAR);
        Path stun = assumeArtifact(ProjectServers.STUN_JAR);
        Path whoami = assumeArtifact(ProjectServers.WHOAMI_JAR);
        try (LabNetwork net = lab.up(topology)) {
            ProjectServers.startStun(net, stun, false);
            ProjectServers.startWhoami(net, whoami);
            LabFacts facts = net.facts();
            List<String> command = new ArrayList<>(List.of(
                    family == Family.IPV4 ? "-4" : "-6",
                    "-s",
                    Family.hostPort(family.server(facts), ProjectServers.STUN_PORT),
                    "--tcp-port",
                    Integer.toString(ProjectServers.WHOAMI_PORT)));
            for (String arg : args) {
                command.add(arg.equals("@asn-db") ? labAsnDatabase(net).toString() : arg);
            }
            // The default options, but a path budget a loaded machine cannot miss (the cgnat row needs
            // the path, and on a starved JVM the default 300 ms can pass before the first ICMP is read).
            NatcheckRun run = NatcheckRun.run(net, natcheck, RUN_LIMIT, List.of("-Dnatcheck.path.budget=2s"), command);

            assertThat(run.exitCode()).as(run::describe).isEqualTo(expected.exit());
            NatcheckRun.Probe probe = run.probe(family);
            AgreementLog.record(
                    topology,
                    family,
                    ("natcheck " + String.join(" ", args).replace("@asn-db", "FILE")).strip(),
                    "natcheck stun-server",
                    probe.verdict());
            assertThat(probe.iface()).isEqualTo("eth0");
            assertThat(probe.verdict()).as(run::describe).isEqualTo(expected.verdict());
            assertThat(probe.nat()).as(run::describe).isEqualTo(expected.nat());
            assertThat(probe.transport()).as(run::describe).isEqualTo(expected.transport());
            assertThat(expected.mapping().accepts(probe.mappingVariesByDestination()))
                    .as(
                            "mapping_varies_by_destination %s for %s\n%s",
                            probe.mappingVariesByDestination(), expected.mapping(), run.describe())
                    .isTrue();
            if (expected.mapped()) {
                assertThat(probe.mappedHost()).as(run::describe).contains(family.mapped(facts));
                assertThat(probe.localHost()).as(run::describe).contains(family.client(facts));
                int port = "tcp".equals(expected.transport()) ? ProjectServers.WHOAMI_PORT : ProjectServers.STUN_PORT;
                assertThat(probe.server()).as(run::describe).isEqualTo(Family.hostPort(family.server(facts), port));
            } else {
                assertThat(probe.mapped()).as(run::describe).isNull();
                assertThat(probe.server()).as(run::describe).isNull();
            }
            assertThat(probe.evidence()).as(run::describe).isNotEmpty();
        }
    }

    @Test
    void nat66TranslatesTheIpv6ProbeWhileTheIpv4ProbeSeesTheCpe() {
        Lab lab = assumeLab();
        Path natcheck = assumeArtifact(NatcheckRun.JAR);
        Path stun = assumeArtifact(ProjectServers.STUN_JAR);
        Path whoami = assumeArtifact(ProjectServers.WHOAMI_JAR);
        try (LabNetwork net = lab.up(Topology.NAT66)) {
            ProjectServers.startStun(net, stun, false);
            ProjectServers.startWhoami(net, whoami);
            LabFacts facts = net.facts();
            // One name for both families: stun.lab resolves from the namespace's own hosts file
            // (netlab.sh writes it), to the server's primary IPv4 and IPv6 addresses.
            NatcheckRun run = NatcheckRun.run(net, natcheck, RUN_LIMIT, List.of("-s", "stun.lab"));

            assertThat(run.exitCode()).as(run::describe).isZero();
            assertThat(run.probes()).extracting(NatcheckRun.Probe::family).containsExactly("ipv4", "ipv6");
            assertThat(run.probe(Family.IPV4).verdict()).as(run::describe).isEqualTo("CPE_NAT");
            assertThat(run.probe(Family.IPV4).mappedHost()).contains(facts.mapped4());
            assertThat(run.probe(Family.IPV4).server())
                    .isEqualTo(Family.hostPort(facts.server4(), ProjectServers.STUN_PORT));
            assertThat(run.probe(Family.IPV6).server())
                    .isEqualTo(Family.hostPort(facts.server6(), ProjectServers.STUN_PORT));
            assertThat(run.probe(Family.IPV6).verdict()).as(run::describe).isEqualTo("NAT66");
            assertThat(run.probe(Family.IPV6).localHost())
                    .contains(facts.client6().orElseThrow());
            assertThat(run.probe(Family.IPV6).mappedHost())
                    .contains(facts.mapped6().orElseThrow());
        }
    }

    /**
     * An iptoasn-format database that puts the stand-in access network in AS 64500, written into
     * the network's log directory (the client namespace sees the same filesystem).
     */
    private static Path labAsnDatabase(LabNetwork net) throws IOException {
        Path file = net.logDir().resolve("lab-asn.tsv");
        Files.writeString(
                file,
                "198.51.100.0\t198.51.100.255\t" + CARRIER_ASN + "\tZZ\tLAB-CARRIER\n"
                        + "203.0.113.0\t203.0.113.255\t64511\tZZ\tLAB-SERVERS\n");
        return file;
    }
}
