package dev.natcheck.stun;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * PASSWORD-ALGORITHM (RFC 8489 §14.12): the algorithm a request used to derive its long-term
 * key, and one entry of PASSWORD-ALGORITHMS (§14.11). A 16-bit algorithm number, a 16-bit length,
 * then that many bytes of parameters padded to a multiple of 4 (the padding counts in the length
 * of the attribute; it is written as zeros and ignored on read). Neither registered algorithm
 * (§18.5) has parameters.
 *
 * @param algorithm  the algorithm number, e.g. {@link #MD5} or {@link #SHA_256}
 * @param parameters the algorithm's parameters (empty for both registered algorithms)
 */
public record PasswordAlgorithm(int algorithm, byte[] parameters) implements StunAttribute {

    /** MD5 (RFC 8489 §18.5.1.1): key = MD5(username ":" realm ":" password), 16 bytes. */
    public static final int MD5 = 0x0001;
    /** SHA-256 (RFC 8489 §18.5.1.2): key = SHA-256(username ":" realm ":" password), 32 bytes. */
    public static final int SHA_256 = 0x0002;

    public PasswordAlgorithm {
        if (algorithm < 0 || algorithm > 0xFFFF) {
            throw new IllegalArgumentException("algorithm must be 0..0xFFFF, got " + algorithm);
        }
        if (parameters.length > 0xFFFF - 8) {
            throw new IllegalArgumentException("parameters too long: " + parameters.length);
        }
        parameters = parameters.clone();
    }

    /** An algorithm without parameters. */
    public PasswordAlgorithm(int algorithm) {
        this(algorithm, new byte[0]);
    }

    /** A copy of the parameters. */
    @Override
    public byte[] parameters() {
        return parameters.clone();
    }

    /** Bytes of this entry on the wire: number, length, parameters and their padding. */
    public int encodedLength() {
        return 4 + parameters.length + Bytes.padding(parameters.length);
    }

    /** Writes this entry at {@code buf[v ..]} (padding zeroed) and returns the offset after it. */
    int writeTo(byte[] buf, int v) {
        Bytes.putInt(buf, v, algorithm << 16 | parameters.length);
        System.arraycopy(parameters, 0, buf, v + 4, parameters.length);
        for (int k = v + 4 + parameters.length; k < v + encodedLength(); k++) {
            buf[k] = 0;
        }
        return v + encodedLength();
    }

    /** Whether this codec can derive a key with the algorithm: MD5 or SHA-256 without parameters. */
    public boolean isSupported() {
        return isSupported(algorithm) && parameters.length == 0;
    }

    /** Whether {@code algorithm} is MD5 or SHA-256. */
    public static boolean isSupported(int algorithm) {
        return algorithm == MD5 || algorithm == SHA_256;
    }

    /**
     * The long-term key (RFC 8489 §9.2.2, §18.5.1): the algorithm's digest of username ":" realm
     * ":" password as UTF-8, the three already prepared with {@link OpaqueString}.
     *
     * @throws IllegalArgumentException for an algorithm other than MD5 and SHA-256
     */
    public static byte[] key(int algorithm, String username, String realm, String password) {
        String digest = switch (algorithm) {
            case MD5 -> "MD5";
            case SHA_256 -> "SHA-256";
            default ->
                throw new IllegalArgumentException(
                        String.format("password algorithm 0x%04x is not MD5 or SHA-256", algorithm));
        };
        try {
            return MessageDigest.getInstance(digest)
                    .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(digest + " is required of every Java platform", e);
        }
    }

    @Override
    public int type() {
        return AttributeType.PASSWORD_ALGORITHM;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordAlgorithm p && p.algorithm == algorithm && Arrays.equals(p.parameters, parameters);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm + Arrays.hashCode(parameters);
    }

    @Override
    public String toString() {
        String name = switch (algorithm) {
            case MD5 -> "MD5";
            case SHA_256 -> "SHA-256";
            default -> String.format("0x%04x", algorithm);
        };
        return parameters.length == 0
                ? "PasswordAlgorithm[" + name + "]"
                : "PasswordAlgorithm[" + name + ", " + HexFormat.of().formatHex(parameters) + "]";
    }
}
