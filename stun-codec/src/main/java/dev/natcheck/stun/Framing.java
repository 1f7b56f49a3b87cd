package dev.natcheck.stun;

/**
 * How STUN and ChannelData messages arrive: one per datagram (UDP, DTLS) or back to back in a
 * byte stream (TCP, TLS). It decides ChannelData's padding (RFC 8656 §12.5): over a stream every
 * ChannelData message is padded to a multiple of 4 so the next one is aligned; in a datagram the
 * padding may be present or not. STUN messages are always a multiple of 4 long.
 */
public enum Framing {
    /** One message per datagram: ChannelData padding optional on read, not written. */
    DATAGRAM,
    /** Messages back to back in a stream: ChannelData always padded to a multiple of 4. */
    STREAM;

    /**
     * Length of the message that starts at {@code buf[off]}, as this framing delimits it (for a
     * stream: the bytes to take before the next message starts), or -1 when fewer than the 4
     * bytes that tell it are available. STUN: 20 + the header's length field (RFC 8489 §6.2.2);
     * ChannelData: 4 + its length field, plus padding for {@link #STREAM}. Allocation-free.
     *
     * @throws StunParseException if the first two bits are neither STUN's 0b00 nor ChannelData's
     *     0b01 (in a stream, the framing is lost: close the connection)
     */
    public int frameLength(byte[] buf, int off, int available) throws StunParseException {
        if (available < 4) {
            return -1;
        }
        int length = Bytes.getShort(buf, off + 2);
        return switch (PacketKind.of(buf, off, available)) {
            case STUN -> MessageHeader.SIZE + length;
            case CHANNEL_DATA -> ChannelData.HEADER_SIZE + length + (this == STREAM ? Bytes.padding(length) : 0);
            case OTHER -> throw notStunNorChannelData(buf[off]);
        };
    }

    private static StunParseException notStunNorChannelData(byte first) {
        return new StunParseException(
                "frame",
                0,
                "first two bits 0b"
                        + Integer.toBinaryString(0b100 | (first & 0xC0) >>> 6).substring(1)
                        + ", neither STUN (0b00) nor ChannelData (0b01)");
    }
}
