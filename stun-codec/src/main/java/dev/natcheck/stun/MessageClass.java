package dev.natcheck.stun;

/** The four STUN message classes (RFC 8489 §5), encoded in bits C1 and C0 of the message type. */
public enum MessageClass {
    REQUEST(0b00),
    INDICATION(0b01),
    SUCCESS_RESPONSE(0b10),
    ERROR_RESPONSE(0b11);

    private static final MessageClass[] BY_BITS = values();

    private final int bits;

    MessageClass(int bits) {
        this.bits = bits;
    }

    /** The two class bits C1C0 as a number 0..3. */
    public int bits() {
        return bits;
    }

    /** The class whose C1C0 bits are {@code bits} (0..3). */
    public static MessageClass ofBits(int bits) {
        return BY_BITS[bits & 0b11];
    }

    /** Whether this is a success or an error response. */
    public boolean isResponse() {
        return this == SUCCESS_RESPONSE || this == ERROR_RESPONSE;
    }
}
