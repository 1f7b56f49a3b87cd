package dev.natcheck.transaction;

/**
 * Where the engine reads the time: {@link System#nanoTime()} in a run, a clock a test moves by
 * hand so that retransmission schedules are checked without sleeping.
 */
@FunctionalInterface
public interface Clock {

    /** Nanoseconds on a monotonic scale; only differences mean anything. */
    long nanoTime();

    /** The JVM's monotonic clock. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /** {@link System#nanoTime()}; a class of its own, so the first probe of a run bootstraps no lambda. */
    enum SystemClock implements Clock {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    }
}
