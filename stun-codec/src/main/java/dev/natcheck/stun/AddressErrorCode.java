package dev.natcheck.stun;

/**
 * ADDRESS-ERROR-CODE (RFC 8656 §18.12): why a dual-stack Allocate got no relayed address of one
 * family (e.g. 440, 508). The ERROR-CODE format with the family byte in front of the reserved
 * bits: family, 13 reserved bits, 3-bit class, 8-bit number, UTF-8 reason phrase.
 */
public record AddressErrorCode(AddressFamily family, int code, String reason) implements StunAttribute {

    public AddressErrorCode {
        if (family == null || reason == null) {
            throw new NullPointerException("family and reason are required");
        }
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("error code must be 300..699, got " + code);
        }
    }

    @Override
    public int type() {
        return AttributeType.ADDRESS_ERROR_CODE;
    }
}
