package dev.natcheck.lab;

import static dev.natcheck.lab.LabAssumptions.assumeArtifact;
import static dev.natcheck.lab.LabAssumptions.assumeLab;
import static dev.natcheck.lab.PeerKind.FULL_CONE;
import static dev.natcheck.lab.PeerKind.OPEN;
import static dev.natcheck.lab.PeerKind.PORT_RESTRICTED_CONE;
import static dev.natcheck.lab.PeerKind.RESTRICTED_CONE;
import static dev.natcheck.lab.PeerKind.SEQUENTIAL_SYMMETRIC;
import static dev.natcheck.lab.PeerKind.SYMMETRIC;
import static dev.natcheck.lab.PeerKind.UDP_BLOCKED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code natcheck punch} between two real NATs: every one of the 21 pairs of the six kinds, each
 * run once, ends as predicted, and every pair the theory says can punch does so on that first
 * attempt; sequential port prediction opens a symmetric NAT that counts; the results go to
 * {@code punch-pairs.tsv} beside the lab logs (docs/punch.md has the table).
 */
class PunchLabTest {

    static final Duration TIMEOUT = Duration.ofSeconds(8);

    /**
     * One pair: the kinds, the path both sides must predict, and whether a direct path must be
     * found. Written out from the theory, not computed by natcheck's own strategy.
     */
    record Row(PeerPair pair, String path, boolean found) {
        @Override
        public String toString() {
            return pair + ": " + path;
        }
    }

    static Stream<Row> pairs() {
        return Stream.of(
                row(OPEN, OPEN, "direct"),
                row(OPEN, FULL_CONE, "direct"),
                row(OPEN, RESTRICTED_CONE, "direct"),
                row(OPEN, PORT_RESTRICTED_CONE, "direct"),
                row(OPEN, SYMMETRIC, "direct"),
                row(OPEN, UDP_BLOCKED, "relay"),
                row(FULL_CONE, FULL_CONE, "direct"),
                row(FULL_CONE, RESTRICTED_CONE, "direct"),
                row(FULL_CONE, PORT_RESTRICTED_CONE, "direct"),
                row(FULL_CONE, SYMMETRIC, "direct"),
                row(FULL_CONE, UDP_BLOCKED, "relay"),
                row(RESTRICTED_CONE, RESTRICTED_CONE, "punch"),
                row(RESTRICTED_CONE, PORT_RESTRICTED_CONE, "punch"),
                row(RESTRICTED_CONE, SYMMETRIC, "punch"),
                row(RESTRICTED_CONE, UDP_BLOCKED, "relay"),
                row(PORT_RESTRICTED_CONE, PORT_RESTRICTED_CONE, "punch"),
                // The lab's symmetric NAT picks ports at random: nothing to predict without --birthday.
                row(PORT_RESTRICTED_CONE, SYMMETRIC, "relay"),
                row(PORT_RESTRICTED_CONE, UDP_BLOCKED, "relay"),
                row(SYMMETRIC, SYMMETRIC, "relay"),
                row(SYMMETRIC, UDP_BLOCKED, "relay"),
                row(UDP_BLOCKED, UDP_BLOCKED, "relay"));
    }

    private static Row row(PeerKind kind, PeerKind peerKind, String path) {
        return new Row(new PeerPair(kind, peerKind), path, !path.equals("relay"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void everyPairEndsAsPredictedOnTheFirstAttempt(Row row) {
        Lab lab = assumeLab();
        Path natcheck = assumeArtifact(PunchSides.JAR);
        Path stunJar = assumeArtifact(ProjectServers.STUN_JAR);
        assertThat(PeerPair.all()).contains(row.pair());
        try (LabNetwork net = lab.up(row.pair())) {
            ProjectServers.startStun(net, stunJar, false);
            PunchSides sides = PunchSides.run(net, natcheck, TIMEOUT, List.of());
            record(row.pair(), "", sides);
            assertEndsAsPredicted(net, row.path(), row.found(), sides);
        }
    }

    /**
     * A symmetric NAT that counts its ports: the token carries the predicted next ports, the cone
     * side checks them, and the mapping the symmetric side makes towards it is one of them.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("countingPairs")
    void sequentialPredictionOpensASymmetricNatThatCounts(PeerPair pair) {
        Lab lab = assumeLab();
        Path natcheck = assumeArtifact(PunchSides.JAR);
        Path stunJar = assumeArtifact(ProjectServers.STUN_JAR);
        try (LabNetwork net = lab.up(pair)) {
            ProjectServers.startStun(net, stunJar, false);
            PunchSides sides = PunchSides.run(net, natcheck, TIMEOUT, List.of());
            record(pair, "", sides);
            assertEndsAsPredicted(net, "punch-with-port-prediction", true, sides);
            PunchSides.Side symmetric = pair.kind() == SEQUENTIAL_SYMMETRIC ? sides.offer() : sides.answer();
            PunchSides.Side cone = symmetric == sides.offer() ? sides.answer() : sides.offer();
            assertThat(symmetric.object("local", "profile").get("port_allocation"))
                    .isEqualTo("sequential");
            assertThat(cone.prediction().get("port_prediction")).isEqualTo("sequential");
            assertThat(cone.outcome().get("remote_type")).as(cone.describe()).isIn("predicted", "prflx");
        }
    }

    /**
     * 10 % loss on each NAT's FORWARD chain, both directions (so 19 % between the peers): every
     * pair of cone NATs still finds its path, the checks retransmitting.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("conePairs")
    void conePairsStillPunchUnderTenPercentLossBothWays(PeerPair pair) {
        Lab lab = assumeLab();
        Path natcheck = assumeArtifact(PunchSides.JAR);
        Path stunJar = assumeArtifact(ProjectServers.STUN_JAR);
        try (LabNetwork net = lab.up(pair, Map.of("NETLAB_PAIR_LOSS", "0.1"))) {
            ProjectServers.startStun(net, stunJar, false);
            PunchSides sides = PunchSides.run(net, natcheck, TIMEOUT, List.of());
            record(pair, "loss 10%", sides);
            for (PunchSides.Side side : List.of(sides.offer(), sides.answer())) {
                assertThat(side.document()).as(side.describe()).isNotNull();
                // Loss can leave a filtering test inconclusive, which turns "direct" into "punch";
                // either way both NATs map endpoint-independently and a path must be found.
                assertThat(side.prediction().get("path")).as(side.describe()).isIn("direct", "punch");
                assertThat(side.directPath()).as(side.describe()).isTrue();
                assertThat(side.exitCode()).isZero();
            }
        }
    }

    static Stream<PeerPair> conePairs() {
        List<PeerKind> cones = List.of(FULL_CONE, RESTRICTED_CONE, PORT_RESTRICTED_CONE);
        return PeerPair.all().stream().filter(p -> cones.contains(p.kind()) && cones.contains(p.peerKind()));
    }

    static Stream<PeerPair> countingPairs() {
        return Stream.of(
                new PeerPair(PORT_RESTRICTED_CONE, SEQUENTIAL_SYMMETRIC),
                new PeerPair(SEQUENTIAL_SYMMETRIC, PORT_RESTRICTED_CONE));
    }

    /** Both sides predicted {@code path}; both found a path exactly when expected, the same one, and said so. */
    static void assertEndsAsPredicted(LabNetwork net, String path, boolean found, PunchSides sides) {
        for (PunchSides.Side side : List.of(sides.offer(), sides.answer())) {
            assertThat(side.document()).as(side.describe()).isNotNull();
            assertThat(side.prediction().get("path")).as(side.describe()).isEqualTo(path);
            assertThat(side.directPath()).as(side.describe()).isEqualTo(found);
            assertThat(side.outcome().get("as_predicted")).as(side.describe()).isEqualTo(true);
            assertThat(side.exitCode()).as(side.describe()).isEqualTo(found ? 0 : 1);
        }
        if (found) {
            // Each side reached the other at its public address (an open side's own address).
            LabFacts f = net.facts();
            assertThat((String) sides.offer().outcome().get("remote"))
                    .as(sides.offer().describe())
                    .startsWith(f.peerMapped4() + ":");
            assertThat((String) sides.answer().outcome().get("remote"))
                    .as(sides.answer().describe())
                    .startsWith(f.mapped4() + ":");
            assertThat(sides.offer().outcome().get("nominated_by")).isEqualTo("local");
            assertThat(sides.answer().outcome().get("nominated_by")).isEqualTo("peer");
        }
    }

    /** One line per run into punch-pairs.tsv: pair, flags, prediction, each side's outcome and times. */
    static synchronized void record(PeerPair pair, String flags, PunchSides sides) {
        Path file = Path.of(System.getProperty("natcheck.lab.logs", "target/lab-logs"), "punch-pairs.tsv");
        StringBuilder line = new StringBuilder(pair.scriptName()).append('\t').append(flags);
        for (PunchSides.Side side : List.of(sides.offer(), sides.answer())) {
            if (side.document() == null) {
                line.append("\t(no document, exit ").append(side.exitCode()).append(")\t\t\t");
                continue;
            }
            Map<String, Object> outcome = side.outcome();
            line.append('\t').append(side.prediction().get("path"));
            line.append('\t').append(outcome.get("direct_path"));
            line.append('\t').append(outcome.get("confirmed_ms"));
            line.append('\t').append(outcome.get("remote_type"));
        }
        line.append('\n');
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
