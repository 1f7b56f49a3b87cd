package dev.natcheck.stunserver;

import java.security.SecureRandom;

/**
 * Per-source token buckets in a fixed-size, 4-way set-associative table shared by every receive
 * loop. The table never grows: a new source takes an empty way of its set or evicts the way seen
 * least recently, so a flood from millions of spoofed addresses costs no memory, only evictions.
 * An evicted source starts again with a full bucket, which is the price of the bound.
 *
 * <p>Keys: an IPv4 address, or the /64 prefix of an IPv6 address (one IPv6 host picks freely
 * among the 2^64 addresses of its /64, so limiting single IPv6 addresses would limit nothing).
 * The set index is a keyed hash with a per-process random seed, so an attacker cannot aim many
 * addresses at one set to evict a chosen victim. Allocation-free; lock striping keeps the loops
 * from contending.
 */
final class SourceRateLimiter {

    private static final int WAYS = 4;
    private static final int STRIPES = 64;
    private static final long IPV4_TAG = 4;
    private static final long IPV6_TAG = 6;

    private final double tokensPerNano;
    private final double burst;
    private final int setMask;
    private final long seed = new SecureRandom().nextLong();
    private final Object[] locks = new Object[STRIPES];

    // Way i of set s is slot s * WAYS + i. tag 0 marks an empty slot.
    private final long[] tags;
    private final long[] keys;
    private final long[] lastSeen;
    private final double[] tokens;

    SourceRateLimiter(RateLimit limit) {
        this.tokensPerNano = limit.perSecond() / 1e9;
        this.burst = limit.burst();
        int sets = Integer.highestOneBit(Math.max(16, (limit.tableSize() + WAYS - 1) / WAYS) * 2 - 1);
        this.setMask = sets - 1;
        int slots = sets * WAYS;
        tags = new long[slots];
        keys = new long[slots];
        lastSeen = new long[slots];
        tokens = new double[slots];
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** Entries the table can hold. */
    int capacity() {
        return tags.length;
    }

    /**
     * Takes a token for the source whose address is {@code addr[off .. off+len)} (4 or 16 bytes);
     * false when its bucket is empty.
     */
    boolean tryAcquire(byte[] addr, int off, int len, long nowNanos) {
        long tag = len == 4 ? IPV4_TAG : IPV6_TAG;
        long key = len == 4 ? readInt(addr, off) & 0xFFFF_FFFFL : readLong(addr, off);
        int set = (int) mix(key ^ (tag << 60) ^ seed) & setMask;
        synchronized (locks[set & (STRIPES - 1)]) {
            int base = set * WAYS;
            int victim = base;
            for (int slot = base; slot < base + WAYS; slot++) {
                if (tags[slot] == tag && keys[slot] == key) {
                    double t = Math.min(burst, tokens[slot] + (nowNanos - lastSeen[slot]) * tokensPerNano);
                    lastSeen[slot] = nowNanos;
                    if (t >= 1) {
                        tokens[slot] = t - 1;
                        return true;
                    }
                    tokens[slot] = t;
                    return false;
                }
                if (tags[victim] != 0 && (tags[slot] == 0 || lastSeen[slot] < lastSeen[victim])) {
                    victim = slot;
                }
            }
            tags[victim] = tag;
            keys[victim] = key;
            lastSeen[victim] = nowNanos;
            tokens[victim] = burst - 1;
            return true;
        }
    }

    private static long mix(long z) {
        // SplitMix64 finalizer: every key bit moves every index bit.
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    private static long readLong(byte[] b, int off) {
        return (long) readInt(b, off) << 32 | readInt(b, off + 4) & 0xFFFF_FFFFL;
    }
}
