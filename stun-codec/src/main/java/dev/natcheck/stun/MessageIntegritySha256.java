package dev.natcheck.stun;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6): HMAC-SHA256 over the message up to this attribute,
 * with the header length counting up to and including it. The value is the first 16 to 32 bytes
 * of the HMAC, a multiple of 4 (full 32 unless a usage allows truncation). Only FINGERPRINT may
 * follow it. The key is the same as for MESSAGE-INTEGRITY: see {@link MessageIntegrity} and
 * {@link PasswordAlgorithm#key}.
 */
public record MessageIntegritySha256(byte[] hmac) implements StunAttribute {

    /** Length of the full HMAC-SHA256. */
    public static final int LENGTH = 32;
    /** The shortest value RFC 8489 §14.6 allows. */
    public static final int MIN_LENGTH = 16;

    public MessageIntegritySha256 {
        if (!isValidLength(hmac.length)) {
            throw new IllegalArgumentException(
                    "MESSAGE-INTEGRITY-SHA256 must be 16..32 bytes, a multiple of 4, got " + hmac.length);
        }
        hmac = hmac.clone();
    }

    /** Whether {@code length} is a length the value may have: 16, 20, 24, 28 or 32. */
    public static boolean isValidLength(int length) {
        return length >= MIN_LENGTH && length <= LENGTH && (length & 3) == 0;
    }

    /** A copy of the HMAC bytes. */
    @Override
    public byte[] hmac() {
        return hmac.clone();
    }

    /** Copies the HMAC into {@code dst} at {@code off}. */
    public void copyHmac(byte[] dst, int off) {
        System.arraycopy(hmac, 0, dst, off, hmac.length);
    }

    /** Length of the value. */
    public int length() {
        return hmac.length;
    }

    @Override
    public int type() {
        return AttributeType.MESSAGE_INTEGRITY_SHA256;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageIntegritySha256 m && Arrays.equals(m.hmac, hmac);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hmac);
    }

    @Override
    public String toString() {
        return "MessageIntegritySha256[" + HexFormat.of().formatHex(hmac) + "]";
    }

    /** A fresh HMAC-SHA256 instance keyed with {@code key}. */
    static Mac hmacSha256(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // As for HMAC-SHA1: an empty key is legal for HMAC, and one zero byte is the same key.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    /**
     * Computes the value for an attribute of {@code length} bytes whose header starts at
     * {@code buf[off + integrityOffset]}: HMAC over the bytes before it with the header length
     * taken as ending after it, truncated to {@code length}; written into {@code out[outOff ..]}.
     */
    static void compute(Mac mac, byte[] buf, int off, int integrityOffset, int length, byte[] out, int outOff) {
        int messageLength = integrityOffset - MessageHeader.SIZE + 4 + length;
        mac.update(buf, off, 2);
        mac.update((byte) (messageLength >>> 8));
        mac.update((byte) messageLength);
        mac.update(buf, off + 4, integrityOffset - 4);
        byte[] full = mac.doFinal();
        System.arraycopy(full, 0, out, outOff, length);
    }

    /**
     * Whether the MESSAGE-INTEGRITY-SHA256 attribute at {@code integrityOffset} (value length
     * {@code length}) of the message at {@code buf[off ..]} matches the HMAC-SHA256 of the
     * message under {@code key}. Constant time.
     */
    public static boolean verify(byte[] key, byte[] buf, int off, int integrityOffset, int length) {
        if (!isValidLength(length)) {
            return false;
        }
        byte[] expected = new byte[length];
        compute(hmacSha256(key), buf, off, integrityOffset, length, expected, 0);
        int v = off + integrityOffset + 4;
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(buf, v, v + length));
    }
}
