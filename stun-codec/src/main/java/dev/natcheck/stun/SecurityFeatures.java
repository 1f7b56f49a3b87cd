package dev.natcheck.stun;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The 24 STUN Security Feature bits (RFC 8489 §18.1) a server announces in the "nonce cookie":
 * a NONCE that starts with "obMatJos2" and then four base64 characters encoding the bits (§9.2).
 * A client uses them to notice a bid-down: a cookie announcing password algorithms in an answer
 * without PASSWORD-ALGORITHMS must not be retried (§9.2.5).
 *
 * <p>Bit numbering follows verified erratum 6290 to RFC 8489: bit 0 is the rightmost (least
 * significant) bit of the three bytes, not the leftmost as the text of §9.2 says. RFC 8489's own
 * Appendix B.1 nonce "obMatJos2AAAC..." (bits 0x000002) only makes sense that way: it announces
 * username anonymity, and the request uses USERHASH.
 *
 * @param bits the 24 bits, 0..0xFFFFFF
 */
public record SecurityFeatures(int bits) {

    /** The nine characters every nonce cookie starts with. */
    public static final String COOKIE_PREFIX = "obMatJos2";
    /** Length of the whole nonce cookie: prefix and four base64 characters. */
    public static final int COOKIE_LENGTH = 13;
    /** Bit 0, "Password algorithms": the server offers PASSWORD-ALGORITHMS (§9.2.4). */
    public static final int PASSWORD_ALGORITHMS = 1;
    /** Bit 1, "Username anonymity": the client must send USERHASH, not USERNAME (§9.2.5). */
    public static final int USERNAME_ANONYMITY = 1 << 1;

    public SecurityFeatures {
        if (bits < 0 || bits > 0xFFFFFF) {
            throw new IllegalArgumentException("security features are 24 bits, got 0x" + Integer.toHexString(bits));
        }
    }

    /** The features of {@code nonce}'s cookie; empty when it has none (an RFC 5389 server). */
    public static Optional<SecurityFeatures> of(String nonce) {
        if (nonce.length() < COOKIE_LENGTH) {
            return Optional.empty();
        }
        byte[] head = nonce.substring(0, COOKIE_LENGTH).getBytes(StandardCharsets.UTF_8);
        int bits = bits(head, 0, head.length);
        return bits < 0 ? Optional.empty() : Optional.of(new SecurityFeatures(bits));
    }

    /**
     * The feature bits of the NONCE value in {@code buf[off .. off+len)}, or -1 when it does not
     * start with a well-formed nonce cookie; allocation-free.
     */
    static int bits(byte[] buf, int off, int len) {
        if (len < COOKIE_LENGTH) {
            return -1;
        }
        for (int i = 0; i < COOKIE_PREFIX.length(); i++) {
            if (buf[off + i] != COOKIE_PREFIX.charAt(i)) {
                return -1;
            }
        }
        int bits = 0;
        for (int i = COOKIE_PREFIX.length(); i < COOKIE_LENGTH; i++) {
            int sextet = base64(buf[off + i]);
            if (sextet < 0) {
                return -1;
            }
            bits = bits << 6 | sextet;
        }
        return bits;
    }

    /** The value of one character of the RFC 4648 §4 alphabet, or -1. */
    private static int base64(byte c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' ? 62 : c == '/' ? 63 : -1;
    }

    /** The 13-character nonce cookie announcing these features, e.g. "obMatJos2AAAB". */
    public String cookie() {
        byte[] three = {(byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
        return COOKIE_PREFIX + Base64.getEncoder().encodeToString(three);
    }

    /** Whether the server offers password algorithms other than MD5 (bit 0). */
    public boolean passwordAlgorithms() {
        return (bits & PASSWORD_ALGORITHMS) != 0;
    }

    /** Whether the server wants USERHASH instead of USERNAME (bit 1). */
    public boolean usernameAnonymity() {
        return (bits & USERNAME_ANONYMITY) != 0;
    }
}
