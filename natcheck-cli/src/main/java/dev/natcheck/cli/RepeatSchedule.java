package dev.natcheck.cli;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When {@code natcheck --every D} starts its runs (docs/cli.md, "Repeating: --every"), so that
 * a fleet does not probe in lockstep:
 *
 * <ul>
 *   <li>the first run starts at once;
 *   <li>the second starts a random time between ½·D and 1½·D after the first: hosts that started
 *       together (a power cut ends, a configuration push restarts them all) are spread evenly
 *       over a whole interval from then on;
 *   <li>every later run starts D ± 5 % (uniform) after the one before, so the average interval
 *       is D and two hosts that drew close offsets drift apart instead of staying together.
 * </ul>
 *
 * <p>Gaps are measured start to start. A run that ends after the next start was due is followed
 * by the next one at once, never by two.
 *
 * @param every the interval D
 */
record RepeatSchedule(Duration every) {

    /** The spread of the first gap, either side of D. */
    static final double FIRST_SPREAD = 0.5;

    /** The spread of every later gap, either side of D. */
    static final double LATER_SPREAD = 0.05;

    RepeatSchedule {
        Objects.requireNonNull(every, "every");
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("--every must be positive: " + every);
        }
    }

    /**
     * The gap between the start of run {@code completed} (1 for the first run) and the start of
     * the next one.
     */
    Duration gapAfter(long completed, RandomGenerator random) {
        double spread = completed <= 1 ? FIRST_SPREAD : LATER_SPREAD;
        double factor = 1 - spread + 2 * spread * random.nextDouble();
        return Duration.ofNanos(Math.round(every.toNanos() * factor));
    }
}
