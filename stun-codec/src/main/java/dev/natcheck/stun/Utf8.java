package dev.natcheck.stun;

/**
 * UTF-8 encoding of strings straight into a byte array, so the encoder can write SOFTWARE or a
 * reason phrase without the temporary array {@code String.getBytes} would allocate. Unpaired
 * surrogates become '?', as {@code String.getBytes(UTF_8)} does.
 */
final class Utf8 {

    private Utf8() {}

    /** Number of bytes {@link #write} produces for {@code s}. */
    static int length(CharSequence s) {
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n += 1;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Writes {@code s} as UTF-8 at {@code dst[off ..]}; returns the number of bytes written. */
    static int write(CharSequence s, byte[] dst, int off) {
        int p = off;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                dst[p++] = (byte) c;
            } else if (c < 0x800) {
                dst[p++] = (byte) (0xC0 | (c >> 6));
                dst[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                dst[p++] = (byte) (0xF0 | (cp >> 18));
                dst[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                dst[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                dst[p++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                dst[p++] = '?';
            } else {
                dst[p++] = (byte) (0xE0 | (c >> 12));
                dst[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                dst[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return p - off;
    }

    /**
     * Offset (from {@code off}) of the first byte that does not continue a well-formed UTF-8
     * sequence (Unicode table 3-7: no overlongs, no surrogates, nothing above U+10FFFF), or -1
     * when all {@code len} bytes are well-formed. Allocation-free.
     */
    static int invalidAt(byte[] b, int off, int len) {
        int i = 0;
        // ASCII fast path, eight bytes at a time: SOFTWARE and reason phrases are mostly ASCII.
        while (len - i >= 8 && (Bytes.getLong(b, off + i) & 0x8080808080808080L) == 0) {
            i += 8;
        }
        while (i < len) {
            int c = b[off + i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                if (c == 0xE0) {
                    lo = 0xA0;
                } else if (c == 0xED) {
                    hi = 0x9F;
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                if (c == 0xF0) {
                    lo = 0x90;
                } else if (c == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                return i;
            }
            for (int k = 1; k <= n; k++) {
                if (i + k >= len) {
                    return i; // a sequence cut short by the end of the value
                }
                int d = b[off + i + k] & 0xFF;
                if (k == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF)) {
                    return i + k;
                }
            }
            i += n + 1;
        }
        return -1;
    }
}
