package dev.natcheck.punch;

/**
 * How a NAT picks the external port of a new mapping, from the mapped ports one socket got
 * towards several destinations: what port prediction needs to know about a symmetric NAT.
 */
public enum PortAllocation {
    /** Not enough answers to tell. */
    UNKNOWN(0, "unknown"),
    /** One mapping served every destination (endpoint-independent mapping): nothing to predict. */
    REUSED(1, "reused"),
    /** Each new mapping took the previous port plus a small constant step: the next is predictable. */
    SEQUENTIAL(2, "sequential"),
    /** New mappings landed on unrelated ports: no prediction can find the next one. */
    RANDOM(3, "random");

    /** The largest step between consecutive mappings still taken as sequential allocation. */
    public static final int MAX_STEP = 16;

    private final int code;
    private final String wireName;

    PortAllocation(int code, String wireName) {
        this.code = code;
        this.wireName = wireName;
    }

    int code() {
        return code;
    }

    /** "sequential", ...: the JSON and text value. */
    public String wireName() {
        return wireName;
    }

    static PortAllocation ofCode(int code) {
        for (PortAllocation allocation : values()) {
            if (allocation.code == code) {
                return allocation;
            }
        }
        throw new IllegalArgumentException("no port allocation has code " + code);
    }
}
