package dev.natcheck.stun;

/**
 * ICMP (RFC 8656 §18.13): in a Data indication, the ICMP error a peer's packet drew. Read as the
 * RFC's figure draws it: 16 reserved bits (written as zeros, ignored on read), a 7-bit ICMP type,
 * a 9-bit ICMP code, then 32 bits of error data (the next-hop MTU for "fragmentation needed" or
 * "packet too big", else 0).
 */
public record Icmp(int icmpType, int icmpCode, int errorData) implements StunAttribute {

    /** Largest ICMP type the 7-bit field holds. */
    public static final int MAX_TYPE = 0x7F;
    /** Largest ICMP code the 9-bit field holds. */
    public static final int MAX_CODE = 0x1FF;

    public Icmp {
        if (icmpType < 0 || icmpType > MAX_TYPE) {
            throw new IllegalArgumentException("ICMP type must be 0..127, got " + icmpType);
        }
        if (icmpCode < 0 || icmpCode > MAX_CODE) {
            throw new IllegalArgumentException("ICMP code must be 0..511, got " + icmpCode);
        }
    }

    /** The record for the 32-bit word that holds type and code (reserved bits ignored). */
    static Icmp ofWords(int typeAndCode, int errorData) {
        return new Icmp((typeAndCode >>> 9) & MAX_TYPE, typeAndCode & MAX_CODE, errorData);
    }

    /** Type and code as the first 32-bit word of the value, reserved bits zero. */
    int typeAndCode() {
        return icmpType << 9 | icmpCode;
    }

    @Override
    public int type() {
        return AttributeType.ICMP;
    }
}
