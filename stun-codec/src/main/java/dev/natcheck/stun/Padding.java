package dev.natcheck.stun;

/**
 * PADDING (RFC 5780 §7.6): filler bytes that make a message bigger, e.g. so a server's answer is
 * never larger than the request. Only the length matters; the contents are ignored on read and
 * written as zeros.
 */
public record Padding(int length) implements StunAttribute {

    public Padding {
        if (length < 0 || length > 0xFFFF) {
            throw new IllegalArgumentException("padding length must be 0..65535, got " + length);
        }
    }

    @Override
    public int type() {
        return AttributeType.PADDING;
    }
}
