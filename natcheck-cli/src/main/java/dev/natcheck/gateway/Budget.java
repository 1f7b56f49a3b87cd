package dev.natcheck.gateway;

import java.time.Duration;

/**
 * The time the gateways get: a deadline shared by every conversation, which the caller may bring
 * forward (never push back) once it knows how long it can wait, i.e. when the STUN probes are done.
 * Conversations read it afresh at least every {@link #STEP_MILLIS}, so a cut takes effect at once.
 */
public final class Budget {

    /** The longest a conversation blocks without looking at the budget again. */
    static final long STEP_MILLIS = 25;

    private volatile long deadlineNanos;

    private Budget(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** A budget ending {@code duration} from now. */
    public static Budget after(Duration duration) {
        return new Budget(System.nanoTime() + duration.toNanos());
    }

    /** Brings the end forward to {@code nanos} ({@link System#nanoTime()} clock) if that is earlier. */
    public synchronized void cutTo(long nanos) {
        deadlineNanos = Math.min(deadlineNanos, nanos);
    }

    /** The end, on the {@link System#nanoTime()} clock. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** Nanoseconds left, never negative. */
    public long remainingNanos() {
        return Math.max(0, deadlineNanos - System.nanoTime());
    }

    public boolean expired() {
        return remainingNanos() == 0;
    }

    /** How long to block now: what is left, but at most one step, at least 1 ms. */
    long stepMillis(long untilNanos) {
        long nanos = Math.min(remainingNanos(), Math.max(0, untilNanos - System.nanoTime()));
        return Math.max(1, Math.min(STEP_MILLIS, (nanos + 999_999) / 1_000_000));
    }
}
