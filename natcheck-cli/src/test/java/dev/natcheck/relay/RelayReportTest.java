package dev.natcheck.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which relay is the fastest, one row per rule, and the exit status. */
class RelayReportTest {

    private static RelayOutcome relay(String name, RelayResult result, Optional<Long> allocationMs, long... rttMs) {
        return new RelayOutcome(
                TurnServer.parse(name),
                Optional.empty(),
                result,
                "test",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                0,
                allocationMs.map(Duration::ofMillis),
                Optional.empty(),
                java.util.Arrays.stream(rttMs).mapToObj(Duration::ofMillis).toList(),
                3,
                rttMs.length,
                true,
                Release.RELEASED,
                List.of());
    }

    static Stream<Arguments> rows() {
        Optional<Long> ms5 = Optional.of(5L);
        return Stream.of(
                Arguments.of(
                        "the shortest round trip through the relay wins, by its best sample",
                        List.of(
                                relay("a", RelayResult.OK, ms5, 30, 31, 32),
                                relay("b", RelayResult.OK, ms5, 40, 12, 50),
                                relay("c", RelayResult.OK, ms5, 20)),
                        OptionalInt.of(1)),
                Arguments.of(
                        "a relay that does not work is never the fastest",
                        List.of(relay("a", RelayResult.NO_RELAY_PATH, ms5), relay("b", RelayResult.OK, ms5, 90)),
                        OptionalInt.of(1)),
                Arguments.of(
                        "a working relay without an exact round trip comes after those with one",
                        List.of(relay("a", RelayResult.OK, Optional.of(1L)), relay("b", RelayResult.OK, ms5, 200)),
                        OptionalInt.of(1)),
                Arguments.of(
                        "equal round trips: the shorter allocation",
                        List.of(relay("a", RelayResult.OK, Optional.of(9L), 10), relay("b", RelayResult.OK, ms5, 10)),
                        OptionalInt.of(1)),
                Arguments.of(
                        "equal in everything: the first named",
                        List.of(relay("a", RelayResult.OK, ms5, 10), relay("b", RelayResult.OK, ms5, 10)),
                        OptionalInt.of(0)),
                Arguments.of(
                        "none works: no fastest",
                        List.of(
                                relay("a", RelayResult.AUTH_FAILED, Optional.empty()),
                                relay("b", RelayResult.NO_ANSWER, Optional.empty())),
                        OptionalInt.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void fastest(String rule, List<RelayOutcome> outcomes, OptionalInt expected) {
        RelayReport report = new RelayReport(outcomes, "none", false, Instant.EPOCH, "test");

        assertThat(report.fastest()).isEqualTo(expected);
        assertThat(report.exitCode()).isEqualTo(expected.isPresent() ? 0 : 1);
    }
}
