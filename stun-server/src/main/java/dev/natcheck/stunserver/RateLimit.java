package dev.natcheck.stunserver;

/**
 * The per-source token bucket: each source address (an IPv4 address, or an IPv6 /64, which is
 * what one IPv6 host or subscriber holds) may draw {@code perSecond} answers a second on average
 * and {@code burst} at once. Sources are tracked in a table of at most {@code tableSize} entries,
 * so a flood from spoofed addresses evicts old entries instead of growing memory.
 *
 * @param perSecond refill rate in packets per second; 0 turns limiting off
 * @param burst bucket size: packets a quiet source may send back to back
 * @param tableSize most sources tracked at once (rounded up to a power of two, at least 64)
 */
public record RateLimit(double perSecond, int burst, int tableSize) {

    /** No limit: every well-formed request is answered. */
    public static final RateLimit OFF = new RateLimit(0, 0, 0);

    /** Default sources tracked: 65,536 entries, about 2 MiB. */
    public static final int DEFAULT_TABLE_SIZE = 65_536;

    /**
     * The default: 100 packets a second, bursts of 200. Far above what a NAT check needs (a handful
     * of requests), yet a CG-NAT address with many subscribers behind it still gets answers.
     */
    public static final RateLimit DEFAULT = new RateLimit(100, 200, DEFAULT_TABLE_SIZE);

    public RateLimit {
        if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be a finite number >= 0, got " + perSecond);
        }
        if (perSecond > 0) {
            if (burst < 1) {
                throw new IllegalArgumentException("burst must be at least 1, got " + burst);
            }
            if (tableSize < 1 || tableSize > (1 << 24)) {
                throw new IllegalArgumentException("table size must be 1..16777216, got " + tableSize);
            }
        }
    }

    /** A limit of {@code perSecond} with bursts of {@code burst}, default table size. */
    public static RateLimit of(double perSecond, int burst) {
        return perSecond == 0 ? OFF : new RateLimit(perSecond, burst, DEFAULT_TABLE_SIZE);
    }

    /** Whether limiting is on. */
    public boolean enabled() {
        return perSecond > 0;
    }

    @Override
    public String toString() {
        return enabled() ? perSecond + "/s burst " + burst : "off";
    }
}
