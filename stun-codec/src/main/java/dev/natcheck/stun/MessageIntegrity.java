package dev.natcheck.stun;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 over the message up to this attribute, with the
 * header length counting up to and including it. The record holds the 20 HMAC bytes as received;
 * the static methods compute keys and HMACs.
 */
public record MessageIntegrity(byte[] hmac) implements StunAttribute {

    /** Length of the HMAC-SHA1 value. */
    public static final int LENGTH = 20;
    /** Bytes of the whole attribute: 4-byte header, 20-byte value. */
    public static final int ATTRIBUTE_SIZE = 24;

    public MessageIntegrity {
        if (hmac.length != LENGTH) {
            throw new IllegalArgumentException("MESSAGE-INTEGRITY must be 20 bytes, got " + hmac.length);
        }
        hmac = hmac.clone();
    }

    /** A copy of the HMAC bytes. */
    @Override
    public byte[] hmac() {
        return hmac.clone();
    }

    /** Copies the HMAC into {@code dst} at {@code off}. */
    public void copyHmac(byte[] dst, int off) {
        System.arraycopy(hmac, 0, dst, off, LENGTH);
    }

    @Override
    public int type() {
        return AttributeType.MESSAGE_INTEGRITY;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageIntegrity m && Arrays.equals(m.hmac, hmac);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hmac);
    }

    @Override
    public String toString() {
        return "MessageIntegrity[" + HexFormat.of().formatHex(hmac) + "]";
    }

    /**
     * Short-term credential key (RFC 8489 §9.1.1): the password as UTF-8, already prepared by the
     * caller ({@link OpaqueString#prepare}; ICE passwords are ASCII, which it leaves unchanged).
     */
    public static byte[] shortTermKey(String preparedPassword) {
        return preparedPassword.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Long-term credential key (RFC 8489 §9.2.2, MD5 algorithm): MD5(username ":" realm ":"
     * password), the three already prepared by the caller ({@link OpaqueString#prepare}, or
     * SASLprep for an RFC 5389 peer). {@link LongTermCredentials} does the preparation itself.
     */
    public static byte[] longTermKey(String username, String realm, String preparedPassword) {
        return PasswordAlgorithm.key(PasswordAlgorithm.MD5, username, realm, preparedPassword);
    }

    /** A fresh HMAC-SHA1 instance keyed with {@code key}. */
    static Mac hmacSha1(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            // An empty key is legal for HMAC but SecretKeySpec refuses it; one zero byte is the
            // same key once HMAC pads it to the block size.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA1"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every Java platform", e);
        }
    }

    /**
     * Computes the MESSAGE-INTEGRITY value for a message whose M-I attribute header starts at
     * {@code buf[off + integrityOffset]}: HMAC over the bytes before it, with the header length
     * field taken as {@code integrityOffset - 20 + 24} whatever the buffer says. Writes the 20
     * bytes into {@code out[outOff ..]}.
     */
    static void compute(Mac mac, byte[] buf, int off, int integrityOffset, byte[] out, int outOff) {
        int length = integrityOffset - MessageHeader.SIZE + ATTRIBUTE_SIZE;
        mac.update(buf, off, 2);
        mac.update((byte) (length >>> 8));
        mac.update((byte) length);
        mac.update(buf, off + 4, integrityOffset - 4);
        try {
            mac.doFinal(out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("output buffer too small for HMAC-SHA1", e);
        }
    }

    /**
     * Whether the MESSAGE-INTEGRITY attribute at {@code integrityOffset} of the message at
     * {@code buf[off ..]} is the HMAC-SHA1 of the message under {@code key}. Constant time.
     */
    public static boolean verify(byte[] key, byte[] buf, int off, int integrityOffset) {
        byte[] expected = new byte[LENGTH];
        compute(hmacSha1(key), buf, off, integrityOffset, expected, 0);
        return MessageDigest.isEqual(
                expected, Arrays.copyOfRange(buf, off + integrityOffset + 4, off + integrityOffset + 4 + LENGTH));
    }
}
