package dev.natcheck.stun;

/**
 * REQUESTED-ADDRESS-FAMILY (RFC 8656 §18.6): the address family of the relayed address an
 * Allocate request asks for. One family byte (0x01 IPv4, 0x02 IPv6), then three reserved bytes
 * written as zeros and ignored on read.
 */
public record RequestedAddressFamily(AddressFamily family) implements StunAttribute {

    public RequestedAddressFamily {
        if (family == null) {
            throw new NullPointerException("family");
        }
    }

    @Override
    public int type() {
        return AttributeType.REQUESTED_ADDRESS_FAMILY;
    }
}
