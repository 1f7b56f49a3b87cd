package dev.natcheck.stun;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * DATA (RFC 8656 §18.4): the application data a Send indication carries to a peer or a Data
 * indication brings from one. The record copies; the allocation-free way to the bytes is
 * {@link MessageView#attributeValueOffset(int)} of {@code indexOf(AttributeType.DATA)}.
 */
public record Data(byte[] value) implements StunAttribute {

    public Data {
        value = Bytes.attributeValueCopy(value, "DATA");
    }

    /** A copy of the data (the record never shares its array). */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** Copies the data into {@code dst} at {@code off}. */
    public void copyValue(byte[] dst, int off) {
        System.arraycopy(value, 0, dst, off, value.length);
    }

    /** Length of the data in bytes. */
    public int length() {
        return value.length;
    }

    @Override
    public int type() {
        return AttributeType.DATA;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Data d && Arrays.equals(d.value, value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Data[" + HexFormat.of().formatHex(value) + "]";
    }
}
