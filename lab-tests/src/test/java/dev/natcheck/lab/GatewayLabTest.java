package dev.natcheck.lab;

import static dev.natcheck.lab.LabAssumptions.assumeArtifact;
import static dev.natcheck.lab.LabAssumptions.assumeLab;
import static dev.natcheck.lab.LabAssumptions.assumeTool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Past the first NAT: a home router behind a carrier NAT (100.64.0.0/10 or 10.0.0.0/8 inside)
 * and two home routers in a row, each with no gateway protocol, with the real miniupnpd on the
 * home router (PCP, NAT-PMP, UPnP IGD) and with a scripted gateway; single-NAT topologies beside
 * them must keep saying one NAT. natcheck runs with its defaults (the gateway is asked) against the
 * project's servers.
 */
class GatewayLabTest {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(60);
    private static final long CARRIER_ASN = 64500;
    /**
     * Generous budgets for the gateway and the path, and a long --timeout: on a machine as loaded
     * as this one gets (load 30 on two cores, other builds beside the lab) a natcheck run's first
     * seconds stretch so far that the default 5 s end before the gateway or the path had a turn.
     * java.net.http alone took 1 to 1.7 s to build its client and make a first request there
     * (0.4 to 1 s and 0.3 to 0.7 s, measured in the lab's client namespace at load 27). What is
     * tested here is what natcheck makes of the answers, not how fast it gets them
     * (docs/benchmarks.md has the timing, measured on its own).
     */
    private static final List<String> BUDGETS = List.of("-Dnatcheck.gateway.budget=5s", "-Dnatcheck.path.budget=2s");

    /**
     * One row.
     *
     * @param mode the scripted gateway's mode, for {@link LabGateway.Kind#SCRIPTED}
     * @param asn whether natcheck gets the lab's ASN database and an allow-list without the carrier
     * @param needsPath the verdict needs the path (TTL probes): no gateway word decides it
     * @param gateway patterns for the {@code gateway} object's protocol, external and result (with
     *     nothing listening, the router's ICMP port unreachable may be rate-limited away: silence)
     */
    record Row(
            Topology topology,
            LabGateway.Kind kind,
            String mode,
            boolean asn,
            String verdict,
            String nat,
            int layers,
            List<String> gateway,
            String evidence,
            boolean needsPath) {

        @Override
        public String toString() {
            return topology + " "
                    + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + (mode == null ? "" : " " + mode) + (asn ? " with ASN rule" : "") + " -> " + verdict + "/"
                    + layers;
        }
    }

    static Stream<Row> table() {
        return Stream.of(
                // One NAT: never more than one, never "double NAT".
                new Row(
                        Topology.OPEN,
                        LabGateway.Kind.NONE,
                        null,
                        false,
                        "NO_NAT",
                        "NONE",
                        0,
                        List.of("pcp", "null", "refused|no-answer"),
                        "no address translation",
                        false),
                new Row(
                        Topology.CPE,
                        LabGateway.Kind.NONE,
                        null,
                        false,
                        "CPE_NAT",
                        "CPE",
                        1,
                        List.of("pcp", "null", "refused|no-answer"),
                        "no ASN check configured",
                        false),
                // miniupnpd with a reserved WAN (the lab's "Internet" is TEST-NET) refuses to map over
                // PCP but names its WAN address: the outside address, so exactly one NAT.
                new Row(
                        Topology.CPE,
                        LabGateway.Kind.MINIUPNPD,
                        null,
                        false,
                        "CPE_NAT",
                        "CPE",
                        1,
                        List.of("pcp", "198.51.100.2", "no-resources"),
                        "exactly one NAT, the gateway's",
                        false),
                new Row(
                        Topology.CPE,
                        LabGateway.Kind.MINIUPNPD_STUN,
                        null,
                        false,
                        "CPE_NAT",
                        "CPE",
                        1,
                        List.of("pcp", "198.51.100.2", "ok"),
                        "exactly one NAT, the gateway's",
                        false),
                // NAT444, carrier inside 100.64.0.0/10.
                new Row(
                        Topology.CGNAT,
                        LabGateway.Kind.NONE,
                        null,
                        false,
                        "CG_NAT",
                        "CGNAT",
                        2,
                        List.of("pcp", "null", "refused|no-answer"),
                        "in 100.64.0.0/10 (RFC 6598): the second NAT is a carrier's",
                        true),
                new Row(
                        Topology.CGNAT,
                        LabGateway.Kind.MINIUPNPD,
                        null,
                        false,
                        "CG_NAT",
                        "CGNAT",
                        2,
                        List.of("pcp", "100.64.1.2", "no-resources"),
                        "gateway's own external address 100.64.1.2 is in 100.64.0.0/10",
                        false),
                new Row(
                        Topology.CGNAT,
                        LabGateway.Kind.SCRIPTED,
                        "pcp:0:100.64.1.2",
                        false,
                        "CG_NAT",
                        "CGNAT",
                        2,
                        List.of("pcp", "100.64.1.2", "ok"),
                        "gateway's own external address 100.64.1.2 is in 100.64.0.0/10",
                        false),
                // miniupnpd learning its address by STUN names the carrier's (UPnP answers cleanly, PCP
                // refuses the mapping behind a filtering NAT): only the path tells.
                new Row(
                        Topology.CGNAT,
                        LabGateway.Kind.MINIUPNPD_STUN,
                        null,
                        false,
                        "CG_NAT",
                        "CGNAT",
                        2,
                        List.of("upnp", "198.51.100.2", "ok"),
                        "the gateway learned it from beyond",
                        true),
                // NAT444, carrier inside 10.0.0.0/8: carrier only when the ASN rule says so.
                new Row(
                        Topology.CGNAT10_HOME,
                        LabGateway.Kind.NONE,
                        null,
                        true,
                        "CG_NAT",
                        "CGNAT",
                        2,
                        List.of("pcp", "null", "refused|no-answer"),
                        "the second NAT is a carrier's",
                        true),
                new Row(
                        Topology.CGNAT10_HOME,
                        LabGateway.Kind.MINIUPNPD,
                        null,
                        false,
                        "CPE_NAT",
                        "CPE",
                        2,
                        List.of("pcp", "10.0.0.2", "no-resources"),
                        "double NAT",
                        false),
                new Row(
                        Topology.CGNAT10_HOME,
                        LabGateway.Kind.MINIUPNPD,
                        null,
                        true,
                        "CG_NAT",
                        "CGNAT",
                        2,
                        List.of("pcp", "10.0.0.2", "no-resources"),
                        "is not in the CPE allow-list: the second NAT is a carrier's",
                        false),
                new Row(
                        Topology.CGNAT10_HOME,
                        LabGateway.Kind.SCRIPTED,
                        "upnp:10.0.0.2",
                        true,
                        "CG_NAT",
                        "CGNAT",
                        2,
                        List.of("upnp", "10.0.0.2", "ok"),
                        "the second NAT is a carrier's",
                        false),
                // Two home routers.
                new Row(
                        Topology.DOUBLENAT,
                        LabGateway.Kind.NONE,
                        null,
                        false,
                        "CPE_NAT",
                        "CPE",
                        2,
                        List.of("pcp", "null", "refused|no-answer"),
                        "double NAT",
                        true),
                new Row(
                        Topology.DOUBLENAT,
                        LabGateway.Kind.MINIUPNPD,
                        null,
                        false,
                        "CPE_NAT",
                        "CPE",
                        2,
                        List.of("pcp", "192.168.0.2", "no-resources"),
                        "double NAT",
                        false),
                new Row(
                        Topology.DOUBLENAT,
                        LabGateway.Kind.SCRIPTED,
                        "natpmp:0:192.168.0.2",
                        false,
                        "CPE_NAT",
                        "CPE",
                        2,
                        List.of("nat-pmp", "192.168.0.2", "ok"),
                        "double NAT",
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void natcheckCountsTheNatsInARow(Row row) throws IOException {
        Lab lab = assumeLab();
        if (row.kind() == LabGateway.Kind.MINIUPNPD || row.kind() == LabGateway.Kind.MINIUPNPD_STUN) {
            assumeTool("/usr/sbin/miniupnpd");
            assumeTool("nft");
        }
        Path natcheck = assumeArtifact(NatcheckRun.JAR);
        Path stun = assumeArtifact(ProjectServers.STUN_JAR);
        Path whoami = assumeArtifact(ProjectServers.WHOAMI_JAR);
        try (LabNetwork net = lab.up(row.topology())) {
            // miniupnpd's own STUN requests are plain 20-byte ones; natcheck pads its own anyway.
            ProjectServers.startStun(net, stun, row.kind() == LabGateway.Kind.MINIUPNPD_STUN);
            ProjectServers.startWhoami(net, whoami);
            LabGateway gateway = LabGateway.start(net, row.kind(), row.mode());
            NatcheckRun run = settled(net, natcheck, row.asn());

            assertThat(run.exitCode()).as(run::describe).isZero();
            NatcheckRun.Probe probe = run.probe(Family.IPV4);
            if (row.needsPath()) {
                assumeTrue(probe.path() != null, "this natcheck does not probe the path; the row needs it");
            }
            AgreementLog.record(
                    row.topology(),
                    Family.IPV4,
                    "natcheck" + (row.asn() ? " --asn-db FILE --cpe-asn 64501" : ""),
                    "natcheck stun-server + gateway " + row.kind().name().toLowerCase(java.util.Locale.ROOT)
                            + (row.mode() == null ? "" : " " + row.mode()),
                    probe.verdict() + " nat_layers=" + probe.natLayers() + " gateway=" + probe.gateway());
            assertThat(probe.verdict()).as(run::describe).isEqualTo(row.verdict());
            assertThat(probe.nat()).as(run::describe).isEqualTo(row.nat());
            assertThat(probe.natLayers()).as(run::describe).isEqualTo(row.layers());
            assertThat(probe.mappedHost())
                    .as(run::describe)
                    .contains(net.facts().mapped4());
            assertThat(probe.gateway()).as(run::describe).isNotNull();
            List<String> got = List.of(
                    String.valueOf(probe.gateway().get("protocol")),
                    String.valueOf(probe.gateway().get("external")),
                    String.valueOf(probe.gateway().get("result")));
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i)).as(run::describe).matches(row.gateway().get(i));
            }
            if (!row.topology().equals(Topology.OPEN)) {
                assertThat(probe.gateway().get("address")).isEqualTo(net.facts().gateway4());
            }
            assertThat(probe.evidence())
                    .as(run::describe)
                    .anySatisfy(l -> assertThat(l).contains(row.evidence()));
            if (row.layers() < 2) {
                assertThat(probe.evidence())
                        .as(run::describe)
                        .noneSatisfy(l -> assertThat(l).contains("double NAT"));
            }
            if (row.kind() == LabGateway.Kind.MINIUPNPD || row.kind() == LabGateway.Kind.MINIUPNPD_STUN) {
                // natcheck left no mapping behind on the real gateway.
                String log = Files.readString(Path.of(gateway.facts().get("gateway_dir"), "miniupnpd.log"));
                assertThat(log)
                        .contains("PCP request received from " + net.facts().client4());
                ExecResult rules =
                        net.exec(Role.CPE, Duration.ofSeconds(10), "nft", "list", "table", "inet", "miniupnpd");
                assertThat(rules.stdout()).doesNotContain("dnat");
            }
        }
    }

    /**
     * Agreement with miniupnpc and libnatpmp against the same miniupnpd: natcheck's external
     * address is what {@code upnpc -s} and {@code natpmpc} print. With a reserved WAN address the
     * daemon names it to nobody but PCP (see docs/lab.md); learning it by STUN it tells everyone.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("agreementTopologies")
    void natcheckAgreesWithUpnpcAndNatpmpc(Topology topology) throws IOException {
        Lab lab = assumeLab();
        assumeTool("/usr/sbin/miniupnpd");
        assumeTool("nft");
        assumeTool("upnpc");
        assumeTool("natpmpc");
        Path natcheck = assumeArtifact(NatcheckRun.JAR);
        Path stun = assumeArtifact(ProjectServers.STUN_JAR);
        Path whoami = assumeArtifact(ProjectServers.WHOAMI_JAR);
        try (LabNetwork net = lab.up(topology)) {
            ProjectServers.startStun(net, stun, true);
            ProjectServers.startWhoami(net, whoami);
            LabFacts facts =
                    LabGateway.start(net, LabGateway.Kind.MINIUPNPD_STUN, null).facts();

            ExecResult upnpc =
                    net.exec(Role.CLI, Duration.ofSeconds(30), "upnpc", "-u", facts.get("upnp_location"), "-s");
            ExecResult natpmpc = net.exec(Role.CLI, Duration.ofSeconds(30), "natpmpc", "-g", facts.gateway4());
            NatcheckRun run = settled(net, natcheck, false);

            String upnpcAddress = after(upnpc.stdout(), "ExternalIPAddress = ");
            String natpmpcAddress = after(natpmpc.stdout(), "Public IP address : ");
            NatcheckRun.Probe probe = run.probe(Family.IPV4);
            String natcheckAddress = probe.gateway().get("external");
            AgreementLog.record(topology, Family.IPV4, "upnpc -s", "miniupnpd-stun", upnpcAddress);
            AgreementLog.record(topology, Family.IPV4, "natpmpc", "miniupnpd-stun", natpmpcAddress);
            AgreementLog.record(topology, Family.IPV4, "natcheck", "miniupnpd-stun", natcheckAddress);
            assertThat(upnpcAddress).as(upnpc.describe()).isEqualTo(facts.mapped4());
            assertThat(natpmpcAddress).as(natpmpc.describe()).isEqualTo(facts.mapped4());
            assertThat(natcheckAddress)
                    .as(run::describe)
                    .isEqualTo(upnpcAddress)
                    .isEqualTo(natpmpcAddress);
            // natcheck's UPnP answer, in the evidence, names the same address.
            assertThat(probe.evidence())
                    .as(run::describe)
                    .anySatisfy(l -> assertThat(l)
                            .contains("UPnP IGD gateway " + facts.gateway4() + " reports its external address "
                                    + upnpcAddress));
        }
    }

    static Stream<Topology> agreementTopologies() {
        return Stream.of(Topology.CPE, Topology.CGNAT);
    }

    /**
     * The plain daemon with a shared WAN address: upnpc and natpmpc get no address, and neither
     * does natcheck over UPnP; PCP names it (NO_RESOURCES with the address).
     */
    @Test
    void withAReservedWanOnlyPcpNamesTheAddress() throws IOException {
        Lab lab = assumeLab();
        assumeTool("/usr/sbin/miniupnpd");
        assumeTool("nft");
        assumeTool("upnpc");
        assumeTool("natpmpc");
        Path natcheck = assumeArtifact(NatcheckRun.JAR);
        Path stun = assumeArtifact(ProjectServers.STUN_JAR);
        Path whoami = assumeArtifact(ProjectServers.WHOAMI_JAR);
        try (LabNetwork net = lab.up(Topology.CGNAT)) {
            ProjectServers.startStun(net, stun, false);
            ProjectServers.startWhoami(net, whoami);
            LabFacts facts =
                    LabGateway.start(net, LabGateway.Kind.MINIUPNPD, null).facts();

            ExecResult upnpc =
                    net.exec(Role.CLI, Duration.ofSeconds(30), "upnpc", "-u", facts.get("upnp_location"), "-s");
            ExecResult natpmpc = net.exec(Role.CLI, Duration.ofSeconds(30), "natpmpc", "-g", facts.gateway4());
            NatcheckRun run = settled(net, natcheck, false);
            NatcheckRun.Probe probe = run.probe(Family.IPV4);

            AgreementLog.record(
                    Topology.CGNAT,
                    Family.IPV4,
                    "upnpc -s",
                    "miniupnpd",
                    upnpc.stdout().contains("GetExternalIPAddress failed") ? "no address" : upnpc.stdout());
            AgreementLog.record(
                    Topology.CGNAT,
                    Family.IPV4,
                    "natpmpc",
                    "miniupnpd",
                    natpmpc.stdout().contains("Public IP address") ? natpmpc.stdout() : "no address");
            AgreementLog.record(
                    Topology.CGNAT,
                    Family.IPV4,
                    "natcheck",
                    "miniupnpd",
                    probe.gateway().toString());
            assertThat(upnpc.stdout()).as(upnpc.describe()).contains("GetExternalIPAddress failed");
            assertThat(natpmpc.stdout()).as(natpmpc.describe()).doesNotContain("Public IP address");
            assertThat(probe.evidence())
                    .as(run::describe)
                    .anySatisfy(l -> assertThat(l)
                            .contains("UPnP IGD gateway " + facts.gateway4()
                                    + ": GetExternalIPAddress named no external address"));
            assertThat(probe.gateway().get("external")).isEqualTo(facts.cpeWan4());
        }
    }

    /** The scripted gateway's error paths, one mode per case, on the NAT444 topology. */
    static Stream<String[]> errorModes() {
        List<String[]> modes = new ArrayList<>();
        String[] pcpNames = {
            "not-authorized",
            "malformed-request",
            "unsupp-opcode",
            "unsupp-option",
            "malformed-option",
            "network-failure",
            "no-resources",
            "unsupp-protocol",
            "user-ex-quota",
            "cannot-provide-external",
            "address-mismatch",
            "excessive-remote-peers"
        };
        for (int code = 2; code <= 13; code++) {
            modes.add(new String[] {"pcp:" + code + ":0.0.0.0", "pcp", pcpNames[code - 2], "PCP gateway"});
        }
        String[] natPmpNames = {
            "unsupported-version", "not-authorized", "network-failure", "out-of-resources", "unsupported-opcode"
        };
        for (int code = 1; code <= 5; code++) {
            modes.add(
                    new String[] {"natpmp:" + code + ":0.0.0.0", "nat-pmp", natPmpNames[code - 1], "result code " + code
                    });
        }
        modes.add(new String[] {"upnp:0.0.0.0", "upnp", "no-external-address", "named no external address"});
        modes.add(new String[] {"upnp-error:501", "upnp", "upnp-error-501", "UPnP error 501"});
        modes.add(new String[] {"garbage", "pcp", "no-answer", "ignored"});
        modes.add(new String[] {"silent", "pcp", "no-answer", "no PCP or NAT-PMP answer in time"});
        modes.add(new String[] {"slow-xml", "pcp", "no-answer", "slow device"});
        modes.add(new String[] {"entity-bomb", "upnp", "malformed", "not XML natcheck reads"});
        return modes.stream();
    }

    /**
     * Every error a gateway can give leaves natcheck's verdict where the probes alone put it, is
     * named in the gateway object and the evidence, and never holds natcheck up.
     */
    @Test
    void aMisbehavingGatewayIsEvidenceNeverAWrongVerdictOrAHang() throws IOException {
        Lab lab = assumeLab();
        Path natcheck = assumeArtifact(NatcheckRun.JAR);
        Path stun = assumeArtifact(ProjectServers.STUN_JAR);
        Path whoami = assumeArtifact(ProjectServers.WHOAMI_JAR);
        try (LabNetwork net = lab.up(Topology.CGNAT)) {
            ProjectServers.startStun(net, stun, false);
            ProjectServers.startWhoami(net, whoami);
            LabGateway gateway = LabGateway.start(net, LabGateway.Kind.SCRIPTED, "silent");
            List<String> failures = new ArrayList<>();
            for (String[] mode : errorModes().toList()) {
                gateway.mode(mode[0]);
                icmpAllowance();
                NatcheckRun run =
                        mode[0].equals("slow-xml") ? run(net, natcheck, false) : settled(net, natcheck, false);
                NatcheckRun.Probe probe = run.probe(Family.IPV4);
                // Without the gateway's address the probes decide: one NAT seen, two with the path.
                String verdict = probe.path() == null ? "CPE_NAT" : "CG_NAT";
                List<String> got = List.of(
                        probe.verdict(),
                        String.valueOf(probe.gateway().get("protocol")),
                        String.valueOf(probe.gateway().get("result")),
                        String.valueOf(probe.gateway().get("external")));
                List<String> want = List.of(verdict, mode[1], mode[2], "null");
                AgreementLog.record(
                        Topology.CGNAT, Family.IPV4, "natcheck", "scripted gateway " + mode[0], got.toString());
                if (run.exitCode() != 0
                        || !got.equals(want)
                        || probe.evidence().stream().noneMatch(l -> l.contains(mode[3]))) {
                    failures.add(mode[0] + ": wanted " + want + " and evidence \"" + mode[3] + "\", got " + got + "\n"
                            + run.describe());
                }
            }
            assertThat(failures).isEmpty();
        }
    }

    /**
     * 30 % loss in both directions on a single home router with the real gateway: runs may lose
     * everything (BLOCKED) or every STUN transmission while the TCP echo gets through
     * (UDP_BLOCKED, about one run in a hundred at this loss, the UDP stage's own limit), but the
     * added sources never make one NAT look like two.
     */
    @Test
    void underLossTheGatewayNeverTurnsOneNatIntoTwo() throws IOException {
        Lab lab = assumeLab();
        assumeTool("/usr/sbin/miniupnpd");
        assumeTool("nft");
        Path natcheck = assumeArtifact(NatcheckRun.JAR);
        Path stun = assumeArtifact(ProjectServers.STUN_JAR);
        Path whoami = assumeArtifact(ProjectServers.WHOAMI_JAR);
        try (LabNetwork net = lab.up(Topology.LOSSY, Map.of("NETLAB_LOSS", "0.3"))) {
            ProjectServers.startStun(net, stun, false);
            ProjectServers.startWhoami(net, whoami);
            LabGateway.start(net, LabGateway.Kind.MINIUPNPD, null);
            int right = 0;
            for (int i = 0; i < 10; i++) {
                icmpAllowance();
                NatcheckRun run = run(net, natcheck, false);
                NatcheckRun.Probe probe = run.probe(Family.IPV4);
                AgreementLog.record(
                        Topology.LOSSY,
                        Family.IPV4,
                        "natcheck (30 % loss)",
                        "natcheck stun-server + miniupnpd",
                        probe.verdict() + " nat_layers=" + probe.natLayers());
                assertThat(probe.verdict()).as(run::describe).isIn("CPE_NAT", "UDP_BLOCKED", "BLOCKED");
                assertThat(probe.evidence())
                        .as(run::describe)
                        .noneSatisfy(l -> assertThat(l).contains("double NAT"));
                if (!probe.verdict().equals("BLOCKED")) {
                    assertThat(probe.natLayers()).as(run::describe).isEqualTo(1);
                    right++;
                }
                if (probe.gateway().get("external") != null) {
                    assertThat(probe.gateway().get("external"))
                            .isEqualTo(net.facts().mapped4());
                }
            }
            assertThat(right).as("runs that reached a verdict at all").isGreaterThan(0);
        }
    }

    /**
     * A run whose gateway answers were not cut short by the budget: on a machine this loaded a
     * JVM can spend the whole budget starting java.net.http, so a run whose UPnP answer says
     * "within the budget" is repeated, at most three times in all. A gateway that is really slow
     * or broken stays so in every run and fails the row.
     */
    private static NatcheckRun settled(LabNetwork net, Path natcheck, boolean asn) throws IOException {
        NatcheckRun run = run(net, natcheck, asn);
        for (int attempt = 2; attempt <= 3 && cutByTheBudget(run); attempt++) {
            icmpAllowance();
            run = run(net, natcheck, asn);
        }
        return run;
    }

    /**
     * Waits for the routers' ICMP allowance to refill (Linux: a burst of 6 per destination, then 1
     * a second) between runs in one topology, or the next run's path probe finds its hops silent.
     */
    private static void icmpAllowance() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean cutByTheBudget(NatcheckRun run) {
        return run.probes().stream().flatMap(p -> p.evidence().stream()).anyMatch(l -> l.contains("within the budget"));
    }

    private static NatcheckRun run(LabNetwork net, Path natcheck, boolean asn) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "-4",
                // Room for a starved JVM: the probes, the gateway and the path all end within it.
                "--timeout",
                "20s",
                "-s",
                Family.hostPort(net.facts().server4(), ProjectServers.STUN_PORT),
                "--tcp-port",
                Integer.toString(ProjectServers.WHOAMI_PORT)));
        if (asn) {
            Path db = net.logDir().resolve("lab-asn.tsv");
            Files.writeString(
                    db,
                    "198.51.100.0\t198.51.100.255\t" + CARRIER_ASN + "\tZZ\tLAB-CARRIER\n"
                            + "203.0.113.0\t203.0.113.255\t64511\tZZ\tLAB-SERVERS\n");
            args.addAll(List.of("--asn-db", db.toString(), "--cpe-asn", "64501"));
        }
        return NatcheckRun.run(net, natcheck, RUN_LIMIT, BUDGETS, args);
    }

    /** The rest of the line after {@code marker}, or the whole output when there is none. */
    private static String after(String output, String marker) {
        return output.lines()
                .filter(l -> l.contains(marker))
                .map(l -> l.substring(l.indexOf(marker) + marker.length()).strip())
                .findFirst()
                .orElse("(none in: " + output.strip() + ")");
    }
}
