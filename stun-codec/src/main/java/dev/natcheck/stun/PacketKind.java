package dev.natcheck.stun;

/**
 * What a packet on a TURN client's socket is, told by its first two bits (RFC 8656 §12): STUN
 * messages start with 0b00 (RFC 8489 §5), ChannelData with 0b01, since channel numbers are
 * 0x4000..0x4FFF. Other first bytes belong to other protocols (RFC 7983: DTLS 20..63, RTP/RTCP
 * 128..191) and never come from a TURN server.
 */
public enum PacketKind {
    /** First two bits 0b00: a STUN message, for {@link MessageView}. */
    STUN,
    /** First two bits 0b01: a ChannelData message, for {@link ChannelDataView}. */
    CHANNEL_DATA,
    /** First two bits 0b10 or 0b11, or an empty packet: neither. */
    OTHER;

    /** The kind of the packet in {@code buf[off .. off+len)}; allocation-free. */
    public static PacketKind of(byte[] buf, int off, int len) {
        if (len <= 0) {
            return OTHER;
        }
        return switch ((buf[off] & 0xC0) >>> 6) {
            case 0b00 -> STUN;
            case 0b01 -> CHANNEL_DATA;
            default -> OTHER;
        };
    }
}
