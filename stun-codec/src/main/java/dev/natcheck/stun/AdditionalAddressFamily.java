package dev.natcheck.stun;

/**
 * ADDITIONAL-ADDRESS-FAMILY (RFC 8656 §18.11): asks an Allocate for a second relayed address of
 * this family besides the IPv4 one; encoded as REQUESTED-ADDRESS-FAMILY. Only IPv6 is a valid
 * request (a server answers IPv4 with 400); the codec reads both families and leaves that check
 * to the server.
 */
public record AdditionalAddressFamily(AddressFamily family) implements StunAttribute {

    public AdditionalAddressFamily {
        if (family == null) {
            throw new NullPointerException("family");
        }
    }

    @Override
    public int type() {
        return AttributeType.ADDITIONAL_ADDRESS_FAMILY;
    }
}
