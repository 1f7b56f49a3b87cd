package dev.natcheck.lab;

import static dev.natcheck.lab.LabAssumptions.assumeLab;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** lab/netlab.sh itself: what up builds, what down removes, how it fails. */
class NetlabScriptTest {

    private static final Duration SHORT = Duration.ofSeconds(10);

    @Test
    void upBuildsEveryNamespaceOfTheTopologyAndDownRemovesThemAll() {
        Lab lab = assumeLab();
        String runId;
        List<String> namespaces = new ArrayList<>();
        try (LabNetwork net = lab.up(Topology.CGNAT)) {
            runId = net.runId();
            for (Role role : Topology.CGNAT.roles()) {
                namespaces.add(net.namespace(role));
            }
            assertThat(namespaces).allMatch(ns -> ns.startsWith(runId + "-cgnat-"));
            assertThat(labNamespaces(runId)).containsExactlyInAnyOrderElementsOf(namespaces);
            for (String ns : namespaces) {
                assertThat(Path.of("/etc/netns", ns, "resolv.conf")).content().contains("nameserver 127.0.0.1");
                assertThat(Path.of("/etc/netns", ns, "hosts")).content().contains("203.0.113.10 stun.lab");
            }
        }
        assertThat(labNamespaces(runId)).isEmpty();
        assertThat(namespaces).noneMatch(ns -> Files.exists(Path.of("/etc/netns", ns)));
        // down is idempotent: a second one finds nothing and still succeeds.
        ExecResult again = lab.netlab(runId, Map.of(), "down", "cgnat");
        assertThat(again.succeeded()).as(again::describe).isTrue();
    }

    @Test
    void downEndsProcessesStillRunningInTheNamespaces() throws Exception {
        Lab lab = assumeLab();
        LabNetwork net = lab.up(Topology.CPE);
        long pid;
        try {
            // Detached from this JVM: only netlab.sh down can find it, through `ip netns pids`.
            ExecResult started = net.exec(Role.CLI, SHORT, "sh", "-c", "sleep 600 >/dev/null 2>&1 & echo $!");
            assertThat(started.succeeded()).as(started::describe).isTrue();
            pid = Long.parseLong(started.stdout().strip());
            assertThat(ProcessHandle.of(pid)).isPresent();
        } finally {
            net.close();
        }
        long deadline = System.nanoTime() + SHORT.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                .as("sleep %d after down", pid)
                .isIn(Optional.empty(), Optional.of(false));
        assertThat(labNamespaces(net.runId())).isEmpty();
    }

    @Test
    void aTestThatFailsStillTearsEverythingDown() {
        Lab lab = assumeLab();
        String[] runId = new String[1];
        LabProcess[] sleeper = new LabProcess[1];
        assertThatThrownBy(() -> {
                    try (LabNetwork net = lab.up(Topology.SYMMETRIC)) {
                        runId[0] = net.runId();
                        sleeper[0] = net.start(Role.SRV, "sleeper", List.of("sleep", "600"));
                        throw new AssertionError("simulated test failure");
                    }
                })
                .hasMessage("simulated test failure");
        assertThat(sleeper[0].isAlive()).isFalse();
        assertThat(labNamespaces(runId[0])).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void everyAddressInEveryNamespaceIsALabAddress(Topology topology) throws UnknownHostException {
        Lab lab = assumeLab();
        try (LabNetwork net = lab.up(topology)) {
            for (Role role : topology.roles()) {
                ExecResult addresses = net.exec(role, SHORT, "ip", "-o", "addr", "show");
                assertThat(addresses.succeeded()).as(addresses::describe).isTrue();
                List<String> found = addressesIn(addresses.stdout());
                assertThat(found).as("%s %s", topology, role).isNotEmpty();
                for (String address : found) {
                    assertThat(LabAddressRange.allowed(InetAddress.getByName(address)))
                            .as("%s in %s/%s is outside the lab's ranges", address, topology, role)
                            .isTrue();
                }
            }
            // The addresses the script announces are the ones it configured.
            ExecResult client = net.exec(Role.CLI, SHORT, "ip", "-o", "addr", "show", "dev", "eth0");
            assertThat(addressesIn(client.stdout())).contains(net.facts().client4());
            net.facts()
                    .client6()
                    .ifPresent(v6 -> assertThat(addressesIn(client.stdout())).contains(v6));
        }
    }

    static List<PeerPair> pairs() {
        return PeerPair.all();
    }

    /**
     * Every one of the 21 peer-to-peer topologies builds with exactly its roles' namespaces, lab
     * addresses only, each client where the facts say, the two edges on the access network.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void everyPairTopologyBuildsWithLabAddressesOnly(PeerPair pair) throws UnknownHostException {
        Lab lab = assumeLab();
        try (LabNetwork net = lab.up(pair)) {
            assertThat(labNamespaces(net.runId()))
                    .containsExactlyInAnyOrderElementsOf(
                            pair.roles().stream().map(net::namespace).toList());
            for (Role role : pair.roles()) {
                ExecResult addresses = net.exec(role, SHORT, "ip", "-o", "addr", "show");
                for (String address : addressesIn(addresses.stdout())) {
                    assertThat(LabAddressRange.allowed(InetAddress.getByName(address)))
                            .as("%s in %s/%s is outside the lab's ranges", address, pair, role)
                            .isTrue();
                }
            }
            LabFacts f = net.facts();
            assertThat(f.get("kind")).isEqualTo(pair.kind().scriptName());
            assertThat(f.get("peer_kind")).isEqualTo(pair.peerKind().scriptName());
            assertThat(addressesIn(net.exec(Role.CLI, SHORT, "ip", "-o", "-4", "addr", "show", "dev", "eth0")
                            .stdout()))
                    .containsExactly(f.client4());
            assertThat(addressesIn(net.exec(Role.PEER, SHORT, "ip", "-o", "-4", "addr", "show", "dev", "eth0")
                            .stdout()))
                    .containsExactly(f.peer4());
            assertThat(f.mapped4()).isEqualTo("198.51.100.2");
            assertThat(f.peerMapped4()).isEqualTo("198.51.100.130");
        }
    }

    @Test
    void downAllRemovesPairTopologiesToo() {
        Lab lab = assumeLab();
        try (LabNetwork net = lab.up(new PeerPair(PeerKind.SYMMETRIC, PeerKind.FULL_CONE))) {
            assertThat(labNamespaces(net.runId())).hasSize(6);
            ExecResult down = lab.netlab(net.runId(), Map.of(), "down", "all");
            assertThat(down.succeeded()).as(down::describe).isTrue();
            assertThat(labNamespaces(net.runId())).isEmpty();
            assertThat(Path.of("/etc/netns", net.namespace(Role.PEER_CPE))).doesNotExist();
        }
    }

    @Test
    void aPairOfUnknownKindsIsAUsageErrorAndBuildsNothing() {
        Lab lab = assumeLab();
        String runId = Lab.newRunId();
        ExecResult result = lab.netlab(runId, Map.of(), "up", "pair-open-carrierpigeon");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("unknown topology 'pair-open-carrierpigeon'");
        assertThat(labNamespaces(runId)).isEmpty();
    }

    @Test
    void unknownTopologyIsAUsageErrorAndBuildsNothing() {
        Lab lab = assumeLab();
        String runId = Lab.newRunId();
        ExecResult result = lab.netlab(runId, Map.of(), "up", "no-such-topology");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr())
                .contains("unknown topology 'no-such-topology'")
                .contains("cpe");
        assertThat(labNamespaces(runId)).isEmpty();
    }

    @Test
    void anUpThatFailsHalfwayRemovesWhatItBuilt() {
        Lab lab = assumeLab();
        String runId = Lab.newRunId();
        // The loss rule is the last step of `lossy`: iptables refuses this probability after
        // every namespace and link already exists.
        ExecResult result = lab.netlab(runId, Map.of("NETLAB_LOSS", "not-a-number"), "up", "lossy");
        assertThat(result.succeeded()).isFalse();
        assertThat(result.stderr()).contains("up lossy failed");
        assertThat(labNamespaces(runId)).isEmpty();
        assertThat(Path.of("/etc/netns", runId + "-lossy-cli")).doesNotExist();
    }

    @Test
    void execRunsInTheRolesNamespaceAndRefusesATopologyThatIsDown() {
        Lab lab = assumeLab();
        try (LabNetwork net = lab.up(Topology.CGNAT_DIRECT)) {
            ExecResult inside = lab.netlab(
                    net.runId(),
                    Map.of(),
                    "exec",
                    "cgnat-direct",
                    "cli",
                    "ip",
                    "-o",
                    "-4",
                    "addr",
                    "show",
                    "dev",
                    "eth0");
            assertThat(inside.succeeded()).as(inside::describe).isTrue();
            assertThat(inside.stdout()).contains("100.64.1.2/24");
            ExecResult listed = lab.netlab(net.runId(), Map.of(), "list", "cgnat-direct");
            assertThat(listed.stdoutLines()).contains("state=up", "client4=100.64.1.2", "mapped4=198.51.100.2");
        }
        String runId = Lab.newRunId();
        ExecResult down = lab.netlab(runId, Map.of(), "exec", "cgnat-direct", "cli", "true");
        assertThat(down.exitCode()).isEqualTo(2);
        assertThat(down.stderr()).contains("cgnat-direct is not up");
    }

    /** Addresses (without prefix length) from `ip -o addr show` output. */
    static List<String> addressesIn(String ipOutput) {
        List<String> addresses = new ArrayList<>();
        for (String line : ipOutput.lines().toList()) {
            String[] words = line.trim().split("\\s+");
            for (int i = 0; i + 1 < words.length; i++) {
                if (words[i].equals("inet") || words[i].equals("inet6")) {
                    addresses.add(words[i + 1].substring(0, words[i + 1].indexOf('/')));
                }
            }
        }
        return addresses;
    }

    /** The namespaces on this machine that belong to {@code runId}. */
    static List<String> labNamespaces(String runId) {
        ExecResult list = CommandRunner.run(List.of("ip", "netns", "list"), Map.of(), SHORT);
        return list.stdoutLines().stream()
                .map(line -> line.split("\\s+")[0])
                .filter(name -> name.startsWith(runId + "-"))
                .toList();
    }
}
