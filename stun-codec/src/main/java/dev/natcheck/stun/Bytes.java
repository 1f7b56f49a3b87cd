package dev.natcheck.stun;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Big-endian reads and writes on byte arrays (network byte order, RFC 8489 §5). Through
 * byte-array view handles, so each read or write is one bounds check and one (unaligned) memory
 * access instead of one per byte.
 */
final class Bytes {

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Bytes() {}

    /** The unsigned 16-bit value at {@code b[off]}. */
    static int getShort(byte[] b, int off) {
        return (short) SHORT.get(b, off) & 0xFFFF;
    }

    static int getInt(byte[] b, int off) {
        return (int) INT.get(b, off);
    }

    static long getLong(byte[] b, int off) {
        return (long) LONG.get(b, off);
    }

    static void putShort(byte[] b, int off, int v) {
        SHORT.set(b, off, (short) v);
    }

    static void putInt(byte[] b, int off, int v) {
        INT.set(b, off, v);
    }

    static void putLong(byte[] b, int off, long v) {
        LONG.set(b, off, v);
    }

    /**
     * Whether {@code a[aOff ..]} and {@code b[bOff ..]} hold the same {@code n} bytes, in time that
     * does not depend on where they differ (for HMAC comparisons, as MessageDigest.isEqual).
     */
    static boolean equalInConstantTime(byte[] a, int aOff, byte[] b, int bOff, int n) {
        int diff = 0;
        for (int i = 0; i < n; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }

    /**
     * A copy of an opaque attribute value, which the 16-bit length field (RFC 8489 §14) limits to
     * 65535 bytes; {@code what} names it in the error.
     */
    static byte[] attributeValueCopy(byte[] value, String what) {
        if (value.length > 0xFFFF) {
            throw new IllegalArgumentException(what + " longer than 65535 bytes: " + value.length);
        }
        return value.clone();
    }

    /** Number of zero bytes that pad an attribute value of {@code length} to a 4-byte boundary. */
    static int padding(int length) {
        return (4 - (length & 3)) & 3;
    }
}
