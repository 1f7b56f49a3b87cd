package dev.natcheck.stun;

/**
 * EVEN-PORT (RFC 8656 §18.7): asks for an even relayed port and, with the R bit, that the server
 * also reserve the next port. A one-byte value: R (0x80), then seven reserved bits written as zeros
 * and ignored on read.
 */
public record EvenPort(boolean reserveNext) implements StunAttribute {

    /** The R bit. */
    public static final int RESERVE = 0x80;

    /** The value byte as sent. */
    public int flags() {
        return reserveNext ? RESERVE : 0;
    }

    @Override
    public int type() {
        return AttributeType.EVEN_PORT;
    }
}
