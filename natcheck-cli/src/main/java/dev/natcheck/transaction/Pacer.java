package dev.natcheck.transaction;

import java.time.Duration;

/**
 * When each new STUN transaction of a run may start. RFC 5780 section 5: a client SHOULD NOT
 * start more than ten new transactions per second and SHOULD pace them so their retransmissions
 * do not synchronise; RFC 8445 appendix B.1 adds that NATs are known to cope with one new binding
 * every 20 ms but not much faster. So: starts at least {@code gap} apart and at most
 * {@code perWindow} in any {@code window}. One pacer serves every interface and family of a run,
 * because the limit is per client. Thread-safe.
 */
public final class Pacer {

    /** RFC 8445's Ta: NATs create one binding per 20 ms reliably. */
    public static final Duration DEFAULT_GAP = Duration.ofMillis(20);
    /** RFC 5780 section 5: at most ten new transactions per second. */
    public static final int DEFAULT_PER_WINDOW = 10;

    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(1);

    private final long gapNanos;
    private final long windowNanos;
    private final long[] recent;
    private long count;
    private long last;
    private long lastAny;

    /** The RFC defaults: 20 ms apart, at most 10 per second. */
    public Pacer() {
        this(DEFAULT_GAP, DEFAULT_PER_WINDOW, DEFAULT_WINDOW);
    }

    public Pacer(Duration gap, int perWindow, Duration window) {
        if (gap.isNegative() || perWindow < 1 || window.isNegative()) {
            throw new IllegalArgumentException("gap " + gap + ", " + perWindow + " per " + window);
        }
        this.gapNanos = gap.toNanos();
        this.windowNanos = window.toNanos();
        this.recent = new long[perWindow];
    }

    /**
     * Reserves the earliest start at or after {@code earliestNanos} (on the engine's
     * clock) that keeps both limits, and returns it. Reservations are handed out in order, so a
     * later call never gets an earlier slot.
     */
    public long reserve(long earliestNanos) {
        return reserve(earliestNanos, true);
    }

    /**
     * Like {@link #reserve(long)}; a transaction that creates no new NAT binding (another request
     * from a socket to a destination it already sent to) keeps only the per-window limit, since
     * the gap protects NATs' binding creation.
     */
    public synchronized long reserve(long earliestNanos, boolean newBinding) {
        long slot = earliestNanos;
        if (count > 0 && newBinding) {
            slot = Math.max(slot, last + gapNanos);
        }
        slot = Math.max(slot, count > 0 ? lastAny : slot);
        int index = (int) (count % recent.length);
        if (count >= recent.length) {
            // recent[index] is the start perWindow reservations ago: the window must have passed it.
            slot = Math.max(slot, recent[index] + windowNanos);
        }
        recent[index] = slot;
        if (newBinding) {
            last = slot;
        }
        lastAny = slot;
        count++;
        return slot;
    }
}
