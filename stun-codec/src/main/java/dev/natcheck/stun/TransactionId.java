package dev.natcheck.stun;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The 96-bit transaction id (RFC 8489 §5), held as two numbers so the record has value equality
 * without wrapping an array: {@code high} is bytes 0..7, {@code low} bytes 8..11, big-endian.
 */
public record TransactionId(long high, int low) {

    /** Length of a transaction id on the wire. */
    public static final int LENGTH = 12;

    // RFC 8489 §5: the id "MUST be uniformly and randomly chosen from the interval 0 .. 2**96-1,
    // and MUST be cryptographically random".
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A fresh cryptographically random id. */
    public static TransactionId random() {
        return new TransactionId(RANDOM.nextLong(), RANDOM.nextInt());
    }

    /** The id stored in {@code bytes[off .. off+12)}. */
    public static TransactionId of(byte[] bytes, int off) {
        return new TransactionId(Bytes.getLong(bytes, off), Bytes.getInt(bytes, off + 8));
    }

    /** The id whose 12 bytes are {@code bytes}. */
    public static TransactionId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("transaction id must be 12 bytes, got " + bytes.length);
        }
        return of(bytes, 0);
    }

    /** Writes the 12 bytes into {@code dst[off .. off+12)}. */
    public void writeTo(byte[] dst, int off) {
        Bytes.putLong(dst, off, high);
        Bytes.putInt(dst, off + 8, low);
    }

    /** A new 12-byte array holding the id. */
    public byte[] toBytes() {
        byte[] b = new byte[LENGTH];
        writeTo(b, 0);
        return b;
    }

    /** Whether {@code bytes[off .. off+12)} hold this id. */
    public boolean matches(byte[] bytes, int off) {
        return Bytes.getLong(bytes, off) == high && Bytes.getInt(bytes, off + 8) == low;
    }

    /** The id as 24 lowercase hex digits. */
    @Override
    public String toString() {
        return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
    }
}
