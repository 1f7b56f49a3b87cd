package dev.natcheck.stun;

/**
 * LIFETIME (RFC 8656 §18.2): seconds until the allocation expires without a refresh, an unsigned
 * 32-bit number; 0 in a Refresh request deletes the allocation (§8).
 */
public record Lifetime(long seconds) implements StunAttribute {

    /** The largest value the 32-bit field holds. */
    public static final long MAX = 0xFFFFFFFFL;

    public Lifetime {
        if (seconds < 0 || seconds > MAX) {
            throw new IllegalArgumentException("lifetime must be 0..4294967295 seconds, got " + seconds);
        }
    }

    @Override
    public int type() {
        return AttributeType.LIFETIME;
    }
}
