package dev.natcheck.stunserver;

import java.security.SecureRandom;
import java.time.Duration;

/**
 * Source addresses that have just proven themselves over TCP, by fetching the browser check page
 * (or its JSON) from {@link WebCheck}: for a short {@link #WINDOW} after that, bare Binding
 * requests from such an address are answered although the answer is larger than the request.
 * A TCP handshake cannot be completed with a forged source address, so only the owner of an
 * address can open its window; a spoofer can then draw at most {@link #ANSWERS} answers of at
 * most 68 bytes towards it before the window closes, which is what makes this safe to offer.
 *
 * <p>Keys as {@link SourceRateLimiter}: an IPv4 address, or the /64 of an IPv6 address (a
 * browser may use another address of its /64 for UDP than for TCP). A fixed-size, 4-way
 * set-associative table with a keyed hash: it never grows, a new address evicts the oldest entry
 * of its set. Allocation-free; lock striping keeps the receive loops from contending.
 */
final class ProvenSources {

    /** How long after a page fetch bare requests from that source are answered. */
    static final Duration WINDOW = Duration.ofSeconds(10); // stun-server --help says so too

    /**
     * Answers one proof buys: the page's one gathering needs four, a few more for
     * retransmissions, Chrome's keep-alives and a second network interface.
     */
    static final int ANSWERS = 64;

    private static final int WAYS = 4;
    private static final int SETS = 1024;
    private static final int STRIPES = 64;
    private static final long IPV4_TAG = 4;
    private static final long IPV6_TAG = 6;

    private final long windowNanos;
    private final long seed = new SecureRandom().nextLong();
    private final Object[] locks = new Object[STRIPES];

    // Way i of set s is slot s * WAYS + i. tag 0 marks an empty slot.
    private final long[] tags = new long[SETS * WAYS];
    private final long[] keys = new long[SETS * WAYS];
    private final long[] provenAt = new long[SETS * WAYS];
    private final int[] answersLeft = new int[SETS * WAYS];

    ProvenSources() {
        this(WINDOW);
    }

    ProvenSources(Duration window) {
        this.windowNanos = window.toNanos();
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** Opens (or reopens, with a full allowance) the window of {@code addr[0 .. len)}: 4 or 16 bytes. */
    void prove(byte[] addr, int len, long nowNanos) {
        long tag = tag(len);
        long key = key(addr, len);
        int set = set(tag, key);
        synchronized (locks[set & (STRIPES - 1)]) {
            int base = set * WAYS;
            int victim = base;
            for (int slot = base; slot < base + WAYS; slot++) {
                if (tags[slot] == tag && keys[slot] == key) {
                    victim = slot;
                    break;
                }
                if (tags[victim] != 0 && (tags[slot] == 0 || provenAt[slot] - provenAt[victim] < 0)) {
                    victim = slot;
                }
            }
            tags[victim] = tag;
            keys[victim] = key;
            provenAt[victim] = nowNanos;
            answersLeft[victim] = ANSWERS;
        }
    }

    /**
     * Whether a bare request from {@code addr[0 .. len)} may be answered now: its window is open
     * and its allowance not used up. Takes one answer from the allowance when it says yes.
     */
    boolean tryAnswer(byte[] addr, int len, long nowNanos) {
        long tag = tag(len);
        long key = key(addr, len);
        int set = set(tag, key);
        synchronized (locks[set & (STRIPES - 1)]) {
            for (int slot = set * WAYS; slot < set * WAYS + WAYS; slot++) {
                if (tags[slot] == tag && keys[slot] == key) {
                    if (nowNanos - provenAt[slot] > windowNanos || answersLeft[slot] <= 0) {
                        return false;
                    }
                    answersLeft[slot]--;
                    return true;
                }
            }
            return false;
        }
    }

    private static long tag(int len) {
        if (len != 4 && len != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, got " + len);
        }
        return len == 4 ? IPV4_TAG : IPV6_TAG;
    }

    private static long key(byte[] addr, int len) {
        long key = 0;
        for (int i = 0; i < Math.min(len, 8); i++) {
            key = key << 8 | (addr[i] & 0xFF);
        }
        return key;
    }

    private int set(long tag, long key) {
        long z = key ^ (tag << 60) ^ seed;
        // SplitMix64 finalizer: every key bit moves every index bit.
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) (z ^ (z >>> 31)) & (SETS - 1);
    }
}
