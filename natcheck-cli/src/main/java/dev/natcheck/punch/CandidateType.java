package dev.natcheck.punch;

/**
 * Where a candidate address comes from (RFC 8445 section 5.1.1), plus natcheck's predicted ports.
 * The wire code is what a {@link Token} carries; a peer-reflexive candidate is learned during the
 * checks and never travels in a token.
 */
public enum CandidateType {
    /** An address of a local interface. */
    HOST(0, "host"),
    /** The address a STUN server saw: the NAT's mapping of the host candidate. */
    SERVER_REFLEXIVE(1, "srflx"),
    /** A port a symmetric NAT is expected to pick next, from the step between its last mappings. */
    PREDICTED(2, "predicted"),
    /** An address on a TURN relay (RFC 8656). Carried and checked; natcheck does not allocate them yet. */
    RELAYED(3, "relay"),
    /** The peer's address as a check from it arrived: a mapping no token named. */
    PEER_REFLEXIVE(-1, "prflx");

    private final int code;
    private final String shortName;

    CandidateType(int code, String shortName) {
        this.code = code;
        this.shortName = shortName;
    }

    /** The 4-bit code in a token; -1 for a type that is never in one. */
    int code() {
        return code;
    }

    /** "host", "srflx", "predicted", "relay", "prflx": the text and JSON value. */
    public String shortName() {
        return shortName;
    }

    /** The type with wire code {@code code}, or null when no type has it. */
    static CandidateType ofCode(int code) {
        for (CandidateType type : values()) {
            if (type.code == code && code >= 0) {
                return type;
            }
        }
        return null;
    }
}
