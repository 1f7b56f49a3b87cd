package dev.natcheck.lab;

import static dev.natcheck.lab.LabAssumptions.assumeArtifact;
import static dev.natcheck.lab.LabAssumptions.assumeLab;
import static dev.natcheck.lab.LabAssumptions.assumeTool;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * natcheck {@code --nat-pmp} against a real NAT-PMP gateway: Debian's miniupnpd on the lab's cpe
 * router ({@code NETLAB_NATPMP=1}), with and without a carrier NAT beyond it. miniupnpd 2.3.1
 * will not disclose a WAN address that is private, shared or reserved (the TEST-NET ranges the lab
 * uses for the Internet included): it answers result code 3, Network Failure. So the gateway rows
 * of the classification (docs/design.md §3) that need the gateway's address stay out of reach with this daemon, and
 * the verdict stays CPE_NAT; what the rows pin is that natcheck reaches the real daemon, reads its
 * answer and says what it means, against the same topology without a gateway.
 */
class GatewayNatLabTest {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(60);
    private static final String GATEWAY = "NAT-PMP gateway 192.168.1.1:5351";

    /** One row: topology, whether the cpe runs miniupnpd, the gateway evidence natcheck must give. */
    record Row(Topology topology, boolean gateway, String gatewayEvidence, String gatewayLogLine) {}

    static Stream<Arguments> table() {
        return Stream.of(
                // Double NAT: the cpe's WAN is 100.64.1.2 behind the carrier NAT. The real gateway
                // answers, but with Network Failure instead of its shared address.
                Arguments.of(new Row(
                        Topology.CGNAT,
                        true,
                        GATEWAY + ": answered result code 3 (Network Failure)",
                        "Reserved / private IP address 100.64.1.2 on ext interface wan0")),
                // Single NAT with the WAN on the stand-in Internet 198.51.100.2: miniupnpd counts
                // TEST-NET-2 as reserved too, so even here it gives no address.
                Arguments.of(new Row(
                        Topology.CPE,
                        true,
                        GATEWAY + ": answered result code 3 (Network Failure)",
                        "Reserved / private IP address 198.51.100.2 on ext interface wan0")),
                // The documented limit without a gateway: nothing listens on the cpe's port 5351.
                Arguments.of(new Row(
                        Topology.CGNAT, false, GATEWAY + ": no NAT-PMP service (ICMP port unreachable)", null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void natcheckAsksTheCpeRouterForItsExternalAddress(Row row) throws IOException {
        Lab lab = assumeLab();
        if (row.gateway()) {
            assumeTool("/usr/sbin/miniupnpd");
        }
        Path natcheck = assumeArtifact(NatcheckRun.JAR);
        Path stun = assumeArtifact(ProjectServers.STUN_JAR);
        Path whoami = assumeArtifact(ProjectServers.WHOAMI_JAR);
        Map<String, String> env = row.gateway() ? Map.of("NETLAB_NATPMP", "1") : Map.of();
        try (LabNetwork net = lab.up(row.topology(), env)) {
            ProjectServers.startStun(net, stun, false);
            ProjectServers.startWhoami(net, whoami);
            LabFacts facts = net.facts();
            assertThat(facts.find("natpmp_gateway"))
                    .isEqualTo(row.gateway() ? Optional.of("192.168.1.1:5351") : Optional.empty());
            NatcheckRun run = NatcheckRun.run(
                    net,
                    natcheck,
                    RUN_LIMIT,
                    List.of(
                            "-4",
                            "--nat-pmp",
                            "-s",
                            Family.hostPort(facts.server4(), ProjectServers.STUN_PORT),
                            "--tcp-port",
                            Integer.toString(ProjectServers.WHOAMI_PORT)));

            assertThat(run.exitCode()).as(run::describe).isZero();
            NatcheckRun.Probe probe = run.probe(Family.IPV4);
            AgreementLog.record(
                    row.topology(),
                    Family.IPV4,
                    "natcheck --nat-pmp",
                    row.gateway() ? "natcheck stun-server + miniupnpd" : "natcheck stun-server",
                    probe.verdict());
            assertThat(probe.verdict()).as(run::describe).isEqualTo("CPE_NAT");
            assertThat(probe.nat()).as(run::describe).isEqualTo("CPE");
            assertThat(probe.localHost()).as(run::describe).contains(facts.client4());
            assertThat(probe.mappedHost()).as(run::describe).contains(facts.mapped4());
            assertThat(probe.evidence())
                    .as(run::describe)
                    .anySatisfy(line -> assertThat(line).startsWith(row.gatewayEvidence()))
                    .noneSatisfy(line -> assertThat(line).contains("gateway's own external address"));
            if (row.gatewayLogLine() != null) {
                // The daemon's own log says why it answered Network Failure.
                Path log = Path.of(facts.get("natpmp_dir"), "miniupnpd.log");
                assertThat(Files.readString(log)).contains(row.gatewayLogLine(), "NAT-PMP public address request");
            }
        }
    }
}
