package dev.natcheck.stun;

import java.util.zip.CRC32;

/**
 * FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message up to this attribute, XORed with
 * 0x5354554e, always the last attribute. The record carries no value: the decoder has already
 * checked it, and the encoder computes it over the bytes it writes.
 */
public record Fingerprint() implements StunAttribute {

    /** The one instance; all fingerprints are equal as values. */
    public static final Fingerprint INSTANCE = new Fingerprint();

    /** XORed into the CRC so STUN is told apart from other CRC-protected protocols ("STUN"). */
    public static final int XOR = 0x5354554e;

    /** Bytes of the whole attribute: 4-byte header, 4-byte value. */
    public static final int ATTRIBUTE_SIZE = 8;

    @Override
    public int type() {
        return AttributeType.FINGERPRINT;
    }

    /**
     * The FINGERPRINT value for {@code buf[off .. off+len)}: the message from its first byte up to
     * the FINGERPRINT attribute, whose header length field must already count that attribute.
     */
    public static int compute(byte[] buf, int off, int len) {
        return compute(new CRC32(), buf, off, len);
    }

    /** As {@link #compute(byte[], int, int)}, reusing {@code crc} so nothing is allocated. */
    static int compute(CRC32 crc, byte[] buf, int off, int len) {
        crc.reset();
        crc.update(buf, off, len);
        return (int) crc.getValue() ^ XOR;
    }
}
