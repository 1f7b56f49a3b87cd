package dev.natcheck.stun;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * USERHASH (RFC 8489 §14.4): replaces USERNAME when the server asks for username anonymity,
 * SHA-256(username ":" realm), both already prepared with OpaqueString. Always 32 bytes.
 */
public record Userhash(byte[] hash) implements StunAttribute {

    /** Length of the value: a SHA-256 digest. */
    public static final int LENGTH = 32;

    public Userhash {
        if (hash.length != LENGTH) {
            throw new IllegalArgumentException("USERHASH must be 32 bytes, got " + hash.length);
        }
        hash = hash.clone();
    }

    /** The USERHASH of a username and realm, both already OpaqueString-prepared. */
    public static Userhash of(String preparedUsername, String preparedRealm) {
        return new Userhash(digest(preparedUsername, preparedRealm));
    }

    static byte[] digest(String preparedUsername, String preparedRealm) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest((preparedUsername + ":" + preparedRealm).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** A copy of the 32 bytes. */
    @Override
    public byte[] hash() {
        return hash.clone();
    }

    /** Copies the 32 bytes into {@code dst} at {@code off}. */
    public void copyHash(byte[] dst, int off) {
        System.arraycopy(hash, 0, dst, off, LENGTH);
    }

    @Override
    public int type() {
        return AttributeType.USERHASH;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Userhash u && Arrays.equals(u.hash, hash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "Userhash[" + HexFormat.of().formatHex(hash) + "]";
    }
}
