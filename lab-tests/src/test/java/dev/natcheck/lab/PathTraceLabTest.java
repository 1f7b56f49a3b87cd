package dev.natcheck.lab;

import static dev.natcheck.lab.LabAssumptions.assumeArtifact;
import static dev.natcheck.lab.LabAssumptions.assumeLab;
import static dev.natcheck.lab.LabAssumptions.assumeTool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.path.PathTrace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * natcheck's path probe ({@code dev.natcheck.path}) in the lab, from the packaged natcheck.jar,
 * checked against Debian's {@code tracepath} run in the same namespace: the hops toward the
 * server up to the first public one, and the hop at which the mapped address answers (the
 * outermost NAT). Under 30 % loss the distance is right or unknown, never wrong.
 */
class PathTraceLabTest {

    private static final Duration BUDGET = PathTrace.DEFAULT_BUDGET;
    /** Not a timing target: a trace that overran its budget by this much would be hanging. */
    private static final Duration HANG = Duration.ofSeconds(5);
    /** What a trace may send at most (docs/cli.md). */
    private static final int MAX_PROBES = 48;

    /**
     * One topology: the hops natcheck must report (lab/netlab.sh's address plan, docs/lab.md), and
     * the outermost NAT's distance (0: the client holds the public address itself).
     */
    record Row(Topology topology, List<String> hops, int distance) {
        @Override
        public String toString() {
            return topology.scriptName();
        }
    }

    static Stream<Row> topologies() {
        return Stream.of(
                // Home router, then the carrier NAT's inside address, then the stand-in Internet.
                new Row(Topology.CGNAT, List.of("192.168.1.1", "100.64.1.1", "198.51.100.1"), 2),
                new Row(Topology.CPE, List.of("192.168.1.1", "198.51.100.1"), 1),
                new Row(Topology.OPEN, List.of("198.51.100.1"), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void hopsAndOutermostNatAgreeWithTracepath(Row row) throws IOException {
        Lab lab = assumeLab();
        assumeTool("tracepath");
        Path jar = assumeArtifact(NatcheckRun.JAR);
        try (LabNetwork net = lab.up(row.topology())) {
            LabFacts facts = net.facts();
            // Ours first, while the routers' ICMP allowance per destination (6, then 1 a second)
            // is whole: tracepath retries what its own probes lose to it, natcheck's budget cannot.
            PathTraceRun trace = PathTraceRun.run(
                            net, jar, facts.client4(), facts.server4(), facts.mapped4(), BUDGET, 1)
                    .getFirst();
            log(net, List.of(trace));

            assertThat(trace.status()).as(trace::toString).isEqualTo("COMPLETE");
            assertThat(trace.hops()).as(trace::toString).containsExactlyElementsOf(row.hops());
            assertThat(trace.distance()).as(trace::toString).hasValue(row.distance());
            assertThat(trace.note()).isEmpty();
            assertThat(trace.probes()).isBetween(row.hops().size(), MAX_PROBES);
            assertThat(trace.elapsed()).isLessThan(HANG);

            Tracepath toServer = Tracepath.run(net, facts.server4(), 8);
            assertThat(toServer.hops())
                    .as(toServer.result()::describe)
                    .startsWith(row.hops().toArray(String[]::new));
            assertThat(toServer.reachedAt()).as(toServer.result()::describe).isPresent();
            if (row.distance() > 0) {
                Tracepath toMapped = Tracepath.run(net, facts.mapped4(), 8);
                assertThat(toMapped.reachedAt()).as(toMapped.result()::describe).hasValue(row.distance());
                assertThat(toMapped.hops().get(row.distance() - 1)).isEqualTo(facts.mapped4());
            }
        }
    }

    /** Lossy cpe: the first router owns the mapped address, the server path crosses the loss. */
    @Test
    void underLossOneNatIsCountedRightOrNotAtAll() throws IOException {
        Lab lab = assumeLab();
        Path jar = assumeArtifact(NatcheckRun.JAR);
        try (LabNetwork net = lab.up(Topology.LOSSY, Map.of("NETLAB_LOSS", "0.3"))) {
            assertRightOrUnknown(
                    net,
                    jar,
                    List.of("192.168.1.1", "198.51.100.1", net.facts().server4()),
                    2,
                    1,
                    List.of(Role.CPE, Role.INET, Role.SRV));
        }
    }

    /**
     * NAT444 behind 30 % loss on the home router's FORWARD chain (both directions): the carrier
     * NAT's answer at TTL 2 crosses the loss, the home router's at TTL 1 does not. A lost TTL 2
     * whose TTL 3 came back must not read as "3", and no run may read "1".
     */
    @Test
    void underLossTwoNatsAreCountedRightOrNotAtAll() throws IOException {
        Lab lab = assumeLab();
        Path jar = assumeArtifact(NatcheckRun.JAR);
        try (LabNetwork net = lab.up(Topology.CGNAT)) {
            ExecResult loss = net.exec(
                    Role.CPE,
                    Duration.ofSeconds(10),
                    "iptables",
                    "-A",
                    "FORWARD",
                    "-m",
                    "statistic",
                    "--mode",
                    "random",
                    "--probability",
                    "0.3",
                    "-j",
                    "DROP");
            assertThat(loss.succeeded()).as(loss::describe).isTrue();
            assertRightOrUnknown(
                    net,
                    jar,
                    List.of(
                            "192.168.1.1",
                            "100.64.1.1",
                            "198.51.100.1",
                            net.facts().server4()),
                    3,
                    2,
                    List.of(Role.CPE, Role.CGN, Role.INET, Role.SRV));
        }
    }

    /**
     * Ten traces in a row: every distance the truth or unknown, at least one the truth (else the
     * probe proves nothing), every hop the truth at its TTL or silent, and COMPLETE only when
     * everything is there. The ICMP rate limit of the routers and the server (a burst of 6 per
     * destination, then 1 a second) is lifted for the runs, which follow each other within a
     * second: it is more loss, handled the same way, but it would starve all runs after the second.
     */
    private static void assertRightOrUnknown(
            LabNetwork net, Path jar, List<String> truePath, int firstPublicTtl, int trueDistance, List<Role> routers)
            throws IOException {
        for (Role router : routers) {
            ExecResult sysctl = net.exec(router, Duration.ofSeconds(10), "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0");
            assertThat(sysctl.succeeded()).as(sysctl::describe).isTrue();
        }
        LabFacts facts = net.facts();
        List<PathTraceRun> traces =
                PathTraceRun.run(net, jar, facts.client4(), facts.server4(), facts.mapped4(), BUDGET, 10);
        log(net, traces);

        for (PathTraceRun trace : traces) {
            assertThat(trace.distance().orElse(trueDistance))
                    .as(trace::toString)
                    .isEqualTo(trueDistance);
            for (int i = 0; i < trace.hops().size(); i++) {
                // Past the server's own hop every TTL reaches the server.
                String truth = truePath.get(Math.min(i, truePath.size() - 1));
                assertThat(trace.hops().get(i)).as(trace::toString).isIn(truth, "*");
            }
            if (trace.status().equals("COMPLETE")) {
                assertThat(trace.hops()).as(trace::toString).isEqualTo(truePath.subList(0, firstPublicTtl));
                assertThat(trace.distance()).as(trace::toString).hasValue(trueDistance);
            } else {
                assertThat(trace.status()).as(trace::toString).isEqualTo("PARTIAL");
                assertThat(trace.note()).as(trace::toString).isNotEmpty();
            }
            assertThat(trace.probes()).as(trace::toString).isLessThanOrEqualTo(MAX_PROBES);
            assertThat(trace.elapsed()).as(trace::toString).isLessThan(HANG);
        }
        assertThat(traces)
                .as("some run found the distance")
                .anySatisfy(t -> assertThat(t.distance()).hasValue(trueDistance));
    }

    /** Each trace's line in the network's log directory, for figures and failures. */
    private static void log(LabNetwork net, List<PathTraceRun> traces) throws IOException {
        Files.writeString(
                net.logDir().resolve("path-trace.txt"),
                traces.stream().map(PathTraceRun::toString).collect(Collectors.joining("\n", "", "\n")));
    }
}
