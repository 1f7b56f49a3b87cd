package dev.natcheck.stun;

/**
 * REQUESTED-TRANSPORT (RFC 8656 §18.8): the transport of the relayed address, as an IP protocol
 * number; 17 (UDP) in every Allocate of RFC 8656, 6 (TCP) with RFC 6062. One protocol byte, then
 * three reserved bytes written as zeros and ignored on read.
 */
public record RequestedTransport(int protocol) implements StunAttribute {

    /** IP protocol number of UDP, the transport RFC 8656 relays. */
    public static final int UDP = 17;
    /** IP protocol number of TCP (RFC 6062 relays). */
    public static final int TCP = 6;

    public RequestedTransport {
        if (protocol < 0 || protocol > 0xFF) {
            throw new IllegalArgumentException("protocol must be 0..255, got " + protocol);
        }
    }

    @Override
    public int type() {
        return AttributeType.REQUESTED_TRANSPORT;
    }
}
