package dev.natcheck.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Send times and give-up times of every schedule shape. */
class ScheduleTest {

    private static final long MS = 1_000_000L;

    @Test
    void controlDoublesFromOneHundredMillisecondsUpToFourHundred() {
        Schedule control = Schedule.control();

        assertThat(control.sendOffsetNanos(0)).isZero();
        assertThat(control.sendOffsetNanos(1)).isEqualTo(100 * MS);
        assertThat(control.sendOffsetNanos(2)).isEqualTo(300 * MS);
        assertThat(control.sendOffsetNanos(3)).isEqualTo(700 * MS);
        assertThat(control.sendOffsetNanos(4)).isEqualTo(1_100 * MS);
        assertThat(control.sendOffsetNanos(5)).isEqualTo(1_500 * MS);
        assertThat(control.sendOffsetNanos(control.transmissions())).isEqualTo(-1);
        assertThat(control.sendOffsetNanos(-1)).isEqualTo(-1);
    }

    /** RTT, then the interval between sends and the give-up offset the window rule gives. */
    static Stream<Arguments> windows() {
        return Stream.of(
                Arguments.of("lab, sub-millisecond", Duration.ofNanos(300_000), 20 * MS, 200 * MS),
                Arguments.of("LAN, 10 ms", Duration.ofMillis(10), 20 * MS, 200 * MS),
                Arguments.of("Internet, 50 ms: 4 x RTT = 200 ms", Duration.ofMillis(50), 20 * MS, 280 * MS),
                Arguments.of("far away, 150 ms", Duration.ofMillis(150), 60 * MS, 840 * MS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windows")
    void afterRttFillsTheWindowWithTenSends(String row, Duration rtt, long interval, long giveUp) {
        Schedule schedule = Schedule.afterRtt(rtt);

        assertThat(schedule.transmissions()).isEqualTo(10);
        assertThat(schedule.sendOffsetNanos(1)).isEqualTo(interval);
        assertThat(schedule.sendOffsetNanos(9)).isEqualTo(9 * interval);
        assertThat(schedule.giveUpOffsetNanos()).isEqualTo(giveUp);
        // The last answer always has at least two round trips to arrive.
        assertThat(schedule.giveUpOffsetNanos() - schedule.sendOffsetNanos(9))
                .isGreaterThanOrEqualTo(2 * rtt.toNanos());
    }

    /** RTT, then the first RTO (3 x RTT, at least 50 ms) and when the seventh send goes (doubling capped at 8 x RTO). */
    static Stream<Arguments> rtos() {
        return Stream.of(
                Arguments.of("loopback, 0.2 ms: the 50 ms floor", Duration.ofNanos(200_000), 50 * MS, 1_550 * MS),
                Arguments.of("LAN, 10 ms: still the floor", Duration.ofMillis(10), 50 * MS, 1_550 * MS),
                Arguments.of("Internet, 60 ms", Duration.ofMillis(60), 180 * MS, 5_580 * MS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rtos")
    void fromRttWaitsThreeRoundTripsBeforeTheFirstRetransmissionThenDoubles(
            String row, Duration rtt, long rto, long seventh) {
        Schedule schedule = Schedule.fromRtt(rtt);

        assertThat(schedule.transmissions()).isEqualTo(Schedule.RFC_MAX_TRANSMISSIONS);
        assertThat(schedule.sendOffsetNanos(1)).isEqualTo(rto);
        assertThat(schedule.sendOffsetNanos(2)).isEqualTo(3 * rto);
        assertThat(schedule.sendOffsetNanos(6)).isEqualTo(seventh);
        assertThat(schedule.sendOffsetNanos(1)).isGreaterThanOrEqualTo(3 * rtt.toNanos());
    }

    @Test
    void reliableSendsOnceAndWaitsTheWholeBudget() {
        Schedule schedule = Schedule.reliable(Duration.ofSeconds(4));

        assertThat(schedule.transmissions()).isEqualTo(1);
        assertThat(schedule.sendOffsetNanos(0)).isZero();
        assertThat(schedule.sendOffsetNanos(1)).isEqualTo(-1);
        assertThat(schedule.giveUpOffsetNanos()).isEqualTo(4_000 * MS);
        assertThat(Schedule.reliable(Duration.ZERO).giveUpOffsetNanos()).isEqualTo(20 * MS);
    }

    @Test
    void withinABudgetKeepsOnlyTheSendsWhoseAnswerCanStillArrive() {
        // Sends at 0, 100, 300, 700 ms, each answer given 400 ms: the third ends at 700, the fourth at 1 100.
        assertThat(Schedule.control().within(Duration.ofMillis(1_000)).transmissions())
                .isEqualTo(3);
        assertThat(Schedule.control().within(Duration.ofMillis(1_000)).giveUpOffsetNanos())
                .isEqualTo(700 * MS);
        assertThat(Schedule.control().within(Duration.ofMillis(10)).transmissions())
                .isEqualTo(1);
        assertThat(Schedule.control().within(Duration.ofMinutes(1))).isEqualTo(Schedule.control());
    }

    @Test
    void stretchingScalesIntervalsAndGrace() {
        Schedule stretched = Schedule.afterRtt(Duration.ofMillis(1)).stretched(1.1);

        assertThat(stretched.sendOffsetNanos(1)).isEqualTo(22 * MS);
        assertThat(stretched.giveUpOffsetNanos()).isEqualTo(220 * MS);
        assertThatThrownBy(() -> Schedule.control().stretched(0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void driftStretchesByAtMostFivePercent() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100; i++) {
            long interval =
                    Schedule.afterRtt(Duration.ofMillis(1)).drifted(random).sendOffsetNanos(1);

            assertThat(interval).isBetween(20 * MS, 21 * MS);
        }
    }

    @Test
    void doublesTheRtoAfterEveryTransmissionAsRfc8489Says() {
        // A cap above the largest interval (16 s) leaves the RFC's plain doubling.
        Schedule schedule = new Schedule(Duration.ofMillis(500), Duration.ofSeconds(32), 7, Duration.ZERO);

        // RFC 8489 section 6.2.1: with RTO 500 ms, requests at 0, 500, 1500, 3500, 7500, 15500, 31500 ms.
        assertThat(java.util.stream.IntStream.range(0, 8)
                        .mapToLong(n -> schedule.sendOffsetNanos(n) < 0 ? -1 : schedule.sendOffsetNanos(n) / 1_000_000))
                .containsExactly(0L, 500L, 1500L, 3500L, 7500L, 15500L, 31500L, -1L);
    }

    @ParameterizedTest(name = "budget {0} ms -> sends at {1} ms")
    @CsvSource(
            delimiter = ';',
            value = {
                // 3 s, the UDP share of the default 5 s timeout: 375 ms RTO, interval capped at 3000/7 ms.
                "3000; 0 375 803 1232 1660 2089 2517",
                // Long budget: the RFC's doubling until the cap (40000/7 ms) stops it.
                "40000; 0 500 1500 3500 7500 13214 18928",
                "800; 0 100 214 328 442 557 671"
            })
    void fitsAllRcSendsInsideTheBudget(long budgetMillis, String offsets) {
        Schedule schedule = Schedule.forBudget(Duration.ofMillis(budgetMillis));
        long[] expected = java.util.Arrays.stream(offsets.split(" "))
                .mapToLong(Long::parseLong)
                .toArray();

        assertThat(java.util.stream.IntStream.range(0, 7)
                        .mapToLong(n -> schedule.sendOffsetNanos(n) / 1_000_000)
                        .toArray())
                .containsExactly(expected);
        assertThat(schedule.sendOffsetNanos(6))
                .isLessThan(Duration.ofMillis(budgetMillis).toNanos());
        assertThat(schedule.sendOffsetNanos(7)).isEqualTo(-1);
        // The probe waits for the last answer to the end of its budget, no longer.
        assertThat(schedule.giveUpOffsetNanos())
                .isEqualTo(Duration.ofMillis(budgetMillis).toNanos());
    }

    @ParameterizedTest(name = "budget {0} ms -> RTO {1} ms")
    @CsvSource({"10000, 500", "3000, 375", "800, 100", "100, 20"})
    void scalesTheInitialRtoToTheBudget(long budgetMillis, long rtoMillis) {
        assertThat(Schedule.forBudget(Duration.ofMillis(budgetMillis)).first()).isEqualTo(Duration.ofMillis(rtoMillis));
    }
}
