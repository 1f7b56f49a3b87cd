package dev.natcheck.punch;

import static dev.natcheck.punch.Prediction.Path.DIRECT;
import static dev.natcheck.punch.Prediction.Path.PUNCH;
import static dev.natcheck.punch.Prediction.Path.PUNCH_WITH_PORT_PREDICTION;
import static dev.natcheck.punch.Prediction.Path.RELAY;
import static dev.natcheck.punch.Profiles.FULL_CONE;
import static dev.natcheck.punch.Profiles.OPEN;
import static dev.natcheck.punch.Profiles.PORT_RESTRICTED_CONE;
import static dev.natcheck.punch.Profiles.RESTRICTED_CONE;
import static dev.natcheck.punch.Profiles.SYMMETRIC;
import static dev.natcheck.punch.Profiles.UDP_BLOCKED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.behavior.EndpointDependence;
import dev.natcheck.punch.Prediction.PortPrediction;
import dev.natcheck.punch.Prediction.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The strategy table: every ordered pair of the six kinds (36 rows, the 21 pairs both ways round),
 * without and with the birthday trick, plus the sequential symmetric NAT and unmeasured findings.
 */
class StrategyTest {

    record Row(Profiles local, Profiles peer, Prediction.Path path, Prediction.Path withBirthday, String because) {
        @Override
        public String toString() {
            return local + " | " + peer + " | " + path.text()
                    + (withBirthday == path ? "" : ", --birthday: " + withBirthday.text());
        }
    }

    /** The 21 unordered pairs; each also runs mirrored. */
    static List<Row> pairs() {
        return List.of(
                new Row(OPEN, OPEN, DIRECT, DIRECT, "both sides accept"),
                new Row(OPEN, FULL_CONE, DIRECT, DIRECT, "both sides accept"),
                new Row(OPEN, RESTRICTED_CONE, DIRECT, DIRECT, "this side accepts"),
                new Row(OPEN, PORT_RESTRICTED_CONE, DIRECT, DIRECT, "this side accepts"),
                new Row(OPEN, SYMMETRIC, DIRECT, DIRECT, "this side accepts"),
                new Row(OPEN, UDP_BLOCKED, RELAY, RELAY, "UDP got no answer on the peer's side"),
                new Row(FULL_CONE, FULL_CONE, DIRECT, DIRECT, "both sides accept"),
                new Row(FULL_CONE, RESTRICTED_CONE, DIRECT, DIRECT, "this side accepts"),
                new Row(FULL_CONE, PORT_RESTRICTED_CONE, DIRECT, DIRECT, "this side accepts"),
                new Row(FULL_CONE, SYMMETRIC, DIRECT, DIRECT, "this side accepts"),
                new Row(FULL_CONE, UDP_BLOCKED, RELAY, RELAY, "TURN relay"),
                new Row(RESTRICTED_CONE, RESTRICTED_CONE, PUNCH, PUNCH, "simultaneous open"),
                new Row(RESTRICTED_CONE, PORT_RESTRICTED_CONE, PUNCH, PUNCH, "simultaneous open"),
                new Row(RESTRICTED_CONE, SYMMETRIC, PUNCH, PUNCH, "peer-reflexive"),
                new Row(RESTRICTED_CONE, UDP_BLOCKED, RELAY, RELAY, "TURN relay"),
                new Row(PORT_RESTRICTED_CONE, PORT_RESTRICTED_CONE, PUNCH, PUNCH, "simultaneous open"),
                new Row(
                        PORT_RESTRICTED_CONE,
                        SYMMETRIC,
                        RELAY,
                        PUNCH_WITH_PORT_PREDICTION,
                        "picked at random: no prediction can find it"),
                new Row(PORT_RESTRICTED_CONE, UDP_BLOCKED, RELAY, RELAY, "TURN relay"),
                new Row(SYMMETRIC, SYMMETRIC, RELAY, RELAY, "both NATs are symmetric"),
                new Row(SYMMETRIC, UDP_BLOCKED, RELAY, RELAY, "TURN relay"),
                new Row(UDP_BLOCKED, UDP_BLOCKED, RELAY, RELAY, "either side"));
    }

    static Stream<Row> bothWays() {
        List<Row> rows = new ArrayList<>(pairs());
        for (Row row : pairs()) {
            if (row.local() != row.peer()) {
                rows.add(new Row(row.peer(), row.local(), row.path(), row.withBirthday(), ""));
            }
        }
        return rows.stream();
    }

    @Test
    void theTableCoversEveryOrderedPairOfTheSixKinds() {
        assertThat(pairs()).hasSize(21);
        assertThat(bothWays().map(r -> r.local() + "/" + r.peer()).distinct()).hasSize(36);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothWays")
    void predictsEachPairsPathAndTheReason(Row row) {
        Prediction prediction = Strategy.predict(row.local().profile, row.peer().profile, false);
        assertThat(prediction.path()).as(prediction.reason()).isEqualTo(row.path());
        assertThat(prediction.reason()).contains(row.because());
        assertThat(Strategy.predict(row.local().profile, row.peer().profile, true)
                        .path())
                .isEqualTo(row.withBirthday());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothWays")
    void bothPeersPredictTheSameFromTheirOwnSide(Row row) {
        for (boolean birthday : new boolean[] {false, true}) {
            Prediction mine = Strategy.predict(row.local().profile, row.peer().profile, birthday);
            Prediction theirs = Strategy.predict(row.peer().profile, row.local().profile, birthday);
            assertThat(theirs.path()).isEqualTo(mine.path());
            assertThat(theirs.portPrediction()).isEqualTo(mine.portPrediction());
            assertThat(theirs.symmetricSide()).isEqualTo(mine.mirrored().symmetricSide());
        }
    }

    @Test
    void birthdayNamesTheSymmetricSideAsTheOneThatOpensThePorts() {
        Prediction fromCone = Strategy.predict(PORT_RESTRICTED_CONE.profile, SYMMETRIC.profile, true);
        assertThat(fromCone.portPrediction()).isEqualTo(PortPrediction.BIRTHDAY);
        assertThat(fromCone.symmetricSide()).contains(Side.PEER);
        assertThat(fromCone.reason()).contains("256 ports", "1024 probes");
        Prediction fromSymmetric = Strategy.predict(SYMMETRIC.profile, PORT_RESTRICTED_CONE.profile, true);
        assertThat(fromSymmetric.symmetricSide()).contains(Side.LOCAL);
    }

    @Test
    void aSymmetricNatThatCountsItsPortsIsPunchedWithSequentialPrediction() {
        Prediction prediction = Strategy.predict(PORT_RESTRICTED_CONE.profile, Profiles.sequentialSymmetric(2), false);
        assertThat(prediction.path()).isEqualTo(PUNCH_WITH_PORT_PREDICTION);
        assertThat(prediction.portPrediction()).isEqualTo(PortPrediction.SEQUENTIAL);
        assertThat(prediction.symmetricSide()).contains(Side.PEER);
        assertThat(prediction.reason()).contains("steps of 2");
        // Two symmetric NATs stay a relay, counting or not.
        assertThat(Strategy.predict(Profiles.sequentialSymmetric(1), Profiles.sequentialSymmetric(1), true)
                        .path())
                .isEqualTo(RELAY);
    }

    @Test
    void aSymmetricNatWhoseAllocationIsUnknownIsNotPredicted() {
        NatProfile unknownPorts = Profiles.profile(
                true,
                EndpointDependence.ADDRESS_AND_PORT_DEPENDENT,
                EndpointDependence.ADDRESS_AND_PORT_DEPENDENT,
                PortPattern.UNKNOWN);
        Prediction prediction = Strategy.predict(PORT_RESTRICTED_CONE.profile, unknownPorts, false);
        assertThat(prediction.path()).isEqualTo(RELAY);
        assertThat(prediction.reason()).contains("how it picks them is unknown", "--birthday");
    }

    @Test
    void anUnmeasuredMappingIsTriedAsEndpointIndependentAndSaysSo() {
        NatProfile unmeasured =
                new NatProfile(true, Optional.of(true), Optional.empty(), Optional.empty(), PortPattern.UNKNOWN);
        Prediction prediction = Strategy.predict(unmeasured, PORT_RESTRICTED_CONE.profile, false);
        assertThat(prediction.path()).isEqualTo(PUNCH);
        assertThat(prediction.reason()).contains("this side's mapping was not measured");
    }

    @Test
    void aNatWithoutAnswerIsARelayWhateverTheOtherSide() {
        for (Profiles other : Profiles.values()) {
            assertThat(Strategy.predict(UDP_BLOCKED.profile, other.profile, true)
                            .path())
                    .as("%s", other)
                    .isEqualTo(RELAY);
        }
    }
}
