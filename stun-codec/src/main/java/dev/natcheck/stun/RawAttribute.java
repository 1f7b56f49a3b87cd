package dev.natcheck.stun;

import java.util.Arrays;
import java.util.HexFormat;

/** An attribute this codec does not decode, kept as its type and value bytes. */
public record RawAttribute(int type, byte[] value) implements StunAttribute {

    public RawAttribute {
        if (type < 0 || type > 0xFFFF) {
            throw new IllegalArgumentException("attribute type must be 0..0xFFFF, got " + type);
        }
        value = Bytes.attributeValueCopy(value, "attribute value");
    }

    /** A copy of the value bytes (the record never shares its array). */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** Copies the value into {@code dst} at {@code off} without exposing the array. */
    public void copyValue(byte[] dst, int off) {
        System.arraycopy(value, 0, dst, off, value.length);
    }

    /** Length of the value in bytes. */
    public int length() {
        return value.length;
    }

    /** Whether an agent that does not understand this type must reject the message (RFC 8489 §14). */
    public boolean comprehensionRequired() {
        return AttributeType.isComprehensionRequired(type);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawAttribute r && r.type == type && Arrays.equals(r.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "RawAttribute[" + AttributeType.name(type) + ", "
                + HexFormat.of().formatHex(value) + "]";
    }
}
