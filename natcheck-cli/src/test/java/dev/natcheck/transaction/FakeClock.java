package dev.natcheck.transaction;

import java.util.function.LongSupplier;

/** A clock that stands still until the test moves it. */
final class FakeClock implements LongSupplier {

    private long now;

    FakeClock(long start) {
        this.now = start;
    }

    @Override
    public long getAsLong() {
        return now;
    }

    void set(long nanos) {
        if (nanos < now) {
            throw new IllegalArgumentException("a monotonic clock does not go back: " + nanos + " < " + now);
        }
        now = nanos;
    }

    void advanceMillis(long millis) {
        set(now + millis * 1_000_000);
    }
}
