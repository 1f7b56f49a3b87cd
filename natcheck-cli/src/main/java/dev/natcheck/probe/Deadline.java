package dev.natcheck.probe;

import java.time.Duration;

/** A point on the {@link System#nanoTime()} clock that a stage must finish by. */
public record Deadline(long nanos) {

    public static Deadline after(Duration duration) {
        return new Deadline(System.nanoTime() + duration.toNanos());
    }

    /** Nanoseconds left, never negative. */
    public long remainingNanos() {
        return Math.max(0, nanos - System.nanoTime());
    }

    /** Milliseconds left, rounded up so a positive remainder never reads as 0. */
    public long remainingMillis() {
        return (remainingNanos() + 999_999) / 1_000_000;
    }

    public boolean expired() {
        return remainingNanos() == 0;
    }

    /** The earlier of this deadline and {@code duration} from now. */
    public Deadline capped(Duration duration) {
        return new Deadline(Math.min(nanos, System.nanoTime() + duration.toNanos()));
    }

    /** The point {@code fraction} of the way from now to this deadline. */
    public Deadline fraction(double fraction) {
        long now = System.nanoTime();
        return new Deadline(now + (long) ((nanos - now) * fraction));
    }
}
