package dev.natcheck.behavior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Send times and give-up times of both schedule shapes. */
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
}
