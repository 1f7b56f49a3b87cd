package dev.natcheck.stun;

/**
 * The 20-byte STUN header (RFC 8489 §5): the message type packing class and method bits, the body
 * length, the magic cookie and the 96-bit transaction id; plus the bit twiddling for the type.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |0 0|  M M M M M C M M M C M M M M  |         Message Length        |
 * |                         Magic Cookie                              |
 * |                     Transaction ID (96 bits)                      |
 * </pre>
 *
 * @param messageClass  request, indication, success or error response
 * @param method        the method, e.g. {@link Method#BINDING}
 * @param length        body length in bytes (excluding the 20-byte header)
 * @param cookie        {@link #MAGIC_COOKIE} for RFC 5389/8489 messages; anything else marks an
 *                      RFC 3489 message, where these 32 bits are the first part of its 128-bit id
 * @param transactionId the 96 bits after the cookie
 */
public record MessageHeader(
        MessageClass messageClass, Method method, int length, int cookie, TransactionId transactionId) {

    /** The fixed value at offset 4 of every RFC 5389/8489 message (RFC 8489 §5). */
    public static final int MAGIC_COOKIE = 0x2112A442;
    /** Size of the header in bytes. */
    public static final int SIZE = 20;
    /** Offset of the transaction id in the header. */
    public static final int TRANSACTION_ID_OFFSET = 8;

    public MessageHeader {
        if (messageClass == null || method == null || transactionId == null) {
            throw new NullPointerException("messageClass, method and transactionId are required");
        }
    }

    /** Whether this is an RFC 3489 message, recognised by the absence of the magic cookie. */
    public boolean isLegacy() {
        return cookie != MAGIC_COOKIE;
    }

    /** The 16-bit message type for a class and a 12-bit method (RFC 8489 §5, figure 3). */
    public static int messageType(MessageClass messageClass, int method) {
        int c = messageClass.bits();
        return (method & 0x000F)
                | ((method & 0x0070) << 1)
                | ((method & 0x0F80) << 2)
                | ((c & 0b01) << 4)
                | ((c & 0b10) << 7);
    }

    /** The class bits C1C0 (0..3) of a message type. */
    public static int classBits(int messageType) {
        return ((messageType >> 4) & 0b01) | ((messageType >> 7) & 0b10);
    }

    /** The 12 method bits of a message type. */
    public static int methodCode(int messageType) {
        return (messageType & 0x000F) | ((messageType >> 1) & 0x0070) | ((messageType >> 2) & 0x0F80);
    }
}
