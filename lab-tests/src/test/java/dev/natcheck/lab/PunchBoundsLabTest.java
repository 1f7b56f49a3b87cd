package dev.natcheck.lab;

import static dev.natcheck.lab.LabAssumptions.assumeArtifact;
import static dev.natcheck.lab.LabAssumptions.assumeLab;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The birthday trick against the lab's symmetric NAT (random ports), and what {@code natcheck
 * punch} may and may not do on the wire, counted by the routers themselves: traffic only to the
 * server and the addresses in the peer's token, at a bounded rate, the probe budget kept, and
 * nothing left listening or running once it exits.
 */
class PunchBoundsLabTest {

    /** Long enough for the whole probe budget at 125 a second. */
    static final Duration TIMEOUT = Duration.ofSeconds(12);
    /** The rate the routers count as excess: natcheck paces new checks at 125 a second. */
    static final String RATE_BOUND = "150/sec";

    /**
     * Port-restricted cone (offer, asks for --birthday) against the symmetric NAT (answer): the
     * answer side opens 256 ports, the offer side probes random ports, at most 1024. The trick
     * meets with about 98 % probability; when a run spends the whole budget without meeting, one
     * more run is allowed, so the test fails only when the trick is broken (or with about 0.03 %).
     */
    @Test
    void theBirthdayTrickOpensASymmetricNatThatPicksPortsAtRandom() {
        Lab lab = assumeLab();
        Path natcheck = assumeArtifact(PunchSides.JAR);
        Path stunJar = assumeArtifact(ProjectServers.STUN_JAR);
        PeerPair pair = new PeerPair(PeerKind.PORT_RESTRICTED_CONE, PeerKind.SYMMETRIC);
        PunchSides sides = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            try (LabNetwork net = lab.up(pair)) {
                ProjectServers.startStun(net, stunJar, false);
                sides = PunchSides.run(net, natcheck, TIMEOUT, List.of("--birthday"));
                PunchLabTest.record(pair, "--birthday, attempt " + attempt, sides);
                PunchSides.Side prober = sides.offer();
                assertThat(prober.document()).as(prober.describe()).isNotNull();
                assertThat(prober.counts("probes_sent")).isLessThanOrEqualTo(1024);
                // All 256, unless a probe met an early one and the rest were no longer needed.
                assertThat(sides.answer().counts("ports_opened"))
                        .as(sides.answer().describe())
                        .isBetween(1.0, 256.0);
                if (!prober.directPath()) {
                    assertThat(sides.answer().counts("ports_opened")).isEqualTo(256);
                }
                if (prober.directPath() || prober.counts("probes_sent") < 1024) {
                    break;
                }
            }
        }
        for (PunchSides.Side side : List.of(sides.offer(), sides.answer())) {
            assertThat(side.prediction().get("path")).as(side.describe()).isEqualTo("punch-with-port-prediction");
            assertThat(side.prediction().get("port_prediction")).isEqualTo("birthday");
            assertThat(side.directPath()).as(side.describe()).isTrue();
            assertThat(side.outcome().get("as_predicted")).isEqualTo(true);
        }
        assertThat(sides.offer().prediction().get("symmetric_side")).isEqualTo("peer");
        assertThat(sides.answer().prediction().get("symmetric_side")).isEqualTo("local");
    }

    /**
     * The birthday trick is the most natcheck ever sends. Each router counts what its client
     * sends while both sides run: nothing to any address but the STUN server's two and the
     * peer's candidates; nothing above {@value #RATE_BOUND} (burst 25); at most the probe budget
     * plus the checks. Afterwards neither namespace has a socket or a process left.
     */
    @Test
    void trafficGoesOnlyToTheTokensCandidatesAtABoundedRateAndNothingIsLeft() {
        Lab lab = assumeLab();
        Path natcheck = assumeArtifact(PunchSides.JAR);
        Path stunJar = assumeArtifact(ProjectServers.STUN_JAR);
        try (LabNetwork net = lab.up(new PeerPair(PeerKind.PORT_RESTRICTED_CONE, PeerKind.SYMMETRIC))) {
            LabFacts f = net.facts();
            ProjectServers.startStun(net, stunJar, false);
            List<String> servers = List.of(f.server4(), f.server4Alt());
            count(net, Role.CPE, f.client4(), servers, List.of(f.peerMapped4(), f.peer4()));
            count(net, Role.PEER_CPE, f.peer4(), servers, List.of(f.mapped4(), f.client4()));

            PunchSides sides = PunchSides.run(net, natcheck, PunchBoundsLabTest.TIMEOUT, List.of("--birthday"));

            for (Role router : List.of(Role.CPE, Role.PEER_CPE)) {
                List<Long> counters = counters(net, router);
                String table = net.exec(
                                router, Duration.ofSeconds(10), "iptables", "-L", "punchcount", "-v", "-x", "-n")
                        .stdout();
                assertThat(counters.get(0))
                        .as("%s: datagrams to the peer\n%s", router, table)
                        .isPositive();
                assertThat(counters.get(1))
                        .as("%s: datagrams above %s\n%s", router, RATE_BOUND, table)
                        .isZero();
                assertThat(counters.getLast())
                        .as("%s: datagrams to anyone else\n%s", router, table)
                        .isZero();
                // The probe budget, the port openers (twice each) and the checks of ~12 s: far below
                // what an unbounded prober would send in that time.
                assertThat(counters.get(0)).as(table).isLessThan(1500);
            }
            assertThat(sides.offer().counts("probes_sent")).isLessThanOrEqualTo(1024);
            for (Role role : List.of(Role.CLI, Role.PEER)) {
                ExecResult sockets = net.exec(role, Duration.ofSeconds(10), "ss", "-Huan");
                assertThat(sockets.stdout().strip())
                        .as("%s sockets after exit", role)
                        .isEmpty();
                // From the root namespace: a command run inside would list itself.
                ExecResult pids = CommandRunner.run(
                        List.of("ip", "netns", "pids", net.namespace(role)),
                        java.util.Map.of(),
                        Duration.ofSeconds(10));
                assertThat(pids.stdout().strip())
                        .as("%s processes after exit", role)
                        .isEmpty();
            }
        }
    }

    /**
     * A chain on {@code router} for what {@code client} forwards: a counter of datagrams to the
     * peer, a counter of those above the rate bound, then returns for the allowed destinations
     * and a last counter for anything else.
     */
    private static void count(LabNetwork net, Role router, String client, List<String> servers, List<String> peer) {
        List<List<String>> rules = new ArrayList<>();
        rules.add(List.of("-N", "punchcount"));
        for (String address : peer) {
            rules.add(List.of("-A", "punchcount", "-d", address, "-m", "comment", "--comment", "to-peer"));
        }
        for (String address : peer) {
            rules.add(List.of(
                    "-A",
                    "punchcount",
                    "-d",
                    address,
                    "-m",
                    "hashlimit",
                    "--hashlimit-above",
                    RATE_BOUND,
                    "--hashlimit-burst",
                    "25",
                    "--hashlimit-mode",
                    "srcip",
                    "--hashlimit-name",
                    "punchrate"));
        }
        for (String address : servers) {
            rules.add(List.of("-A", "punchcount", "-d", address, "-j", "RETURN"));
        }
        for (String address : peer) {
            rules.add(List.of("-A", "punchcount", "-d", address, "-j", "RETURN"));
        }
        rules.add(List.of("-A", "punchcount", "-m", "comment", "--comment", "elsewhere"));
        rules.add(List.of("-I", "FORWARD", "1", "-s", client, "-j", "punchcount"));
        for (List<String> rule : rules) {
            List<String> command = new ArrayList<>(List.of("iptables"));
            command.addAll(rule);
            ExecResult result = net.exec(router, Duration.ofSeconds(10), command);
            assertThat(result.succeeded()).as(result::describe).isTrue();
        }
    }

    /**
     * The chain's packet counters, summed per kind: [to the peer, above the rate, ..., elsewhere];
     * the peer's rows are added up.
     */
    private static List<Long> counters(LabNetwork net, Role router) {
        ExecResult table = net.exec(router, Duration.ofSeconds(10), "iptables", "-L", "punchcount", "-v", "-x", "-n");
        assertThat(table.succeeded()).as(table::describe).isTrue();
        long toPeer = 0;
        long aboveRate = 0;
        long elsewhere = -1;
        for (String line : table.stdoutLines()) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length < 2 || !columns[0].matches("\\d+")) {
                continue;
            }
            long packets = Long.parseLong(columns[0]);
            if (line.contains("to-peer")) {
                toPeer += packets;
            } else if (line.contains("limit: above")) {
                aboveRate += packets;
            } else if (line.contains("elsewhere")) {
                elsewhere = packets;
            }
        }
        return List.of(toPeer, aboveRate, elsewhere);
    }
}
