package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The jitter rule of {@code --every}, as docs/cli.md states it. */
class RepeatScheduleTest {

    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    /** A generator that always draws {@code value}: the ends of each range. */
    private static RandomGenerator always(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @Test
    void theSecondRunStartsHalfToOneAndAHalfIntervalsAfterTheFirst() {
        RepeatSchedule schedule = new RepeatSchedule(FIVE_MINUTES);

        assertThat(schedule.gapAfter(1, always(0.0))).isEqualTo(Duration.ofSeconds(150));
        assertThat(schedule.gapAfter(1, always(0.5))).isEqualTo(FIVE_MINUTES);
        assertThat(schedule.gapAfter(1, always(Math.nextDown(1.0))))
                .isBetween(Duration.ofSeconds(449), Duration.ofSeconds(450));
    }

    @Test
    void laterRunsStartTheIntervalPlusOrMinusFivePercentApart() {
        RepeatSchedule schedule = new RepeatSchedule(FIVE_MINUTES);

        for (long completed : new long[] {2, 3, 1000}) {
            assertThat(schedule.gapAfter(completed, always(0.0))).isEqualTo(Duration.ofSeconds(285));
            assertThat(schedule.gapAfter(completed, always(0.5))).isEqualTo(FIVE_MINUTES);
            assertThat(schedule.gapAfter(completed, always(Math.nextDown(1.0))))
                    .isBetween(Duration.ofMillis(314_999), Duration.ofSeconds(315));
        }
    }

    /**
     * A thousand hosts started in the same second: after their second run they are spread over
     * the whole interval, about a hundred per tenth of it, not bunched.
     */
    @Test
    void aFleetStartedTogetherIsSpreadOverTheWholeIntervalAfterOneRun() {
        RepeatSchedule schedule = new RepeatSchedule(FIVE_MINUTES);
        SplittableRandom random = new SplittableRandom(17);
        int[] perTenth = new int[10];
        for (int host = 0; host < 1000; host++) {
            long second = schedule.gapAfter(1, random.split()).toNanos();
            long phase = second % FIVE_MINUTES.toNanos();
            perTenth[(int) (phase * 10 / FIVE_MINUTES.toNanos())]++;
        }

        assertThat(java.util.Arrays.stream(perTenth).boxed())
                .allSatisfy(count -> assertThat(count).isBetween(60, 140));
    }

    @Test
    void onAverageTheRunsAreTheIntervalApart() {
        RepeatSchedule schedule = new RepeatSchedule(Duration.ofSeconds(60));
        SplittableRandom random = new SplittableRandom(42);

        double meanSeconds = LongStream.rangeClosed(2, 10_001)
                        .map(run -> schedule.gapAfter(run, random).toMillis())
                        .average()
                        .orElseThrow()
                / 1000;

        assertThat(meanSeconds).isBetween(59.9, 60.1);
    }

    @Test
    void anIntervalMustBePositive() {
        assertThatThrownBy(() -> new RepeatSchedule(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
