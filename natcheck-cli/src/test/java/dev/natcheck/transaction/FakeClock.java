package dev.natcheck.transaction;

/** A clock that stands still until the test moves it. */
final class FakeClock implements Clock {

    private long now;

    FakeClock(long start) {
        this.now = start;
    }

    @Override
    public long nanoTime() {
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
