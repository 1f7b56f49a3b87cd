package dev.natcheck.stun;

import java.util.Arrays;

/**
 * A reusable view of one decoded ChannelData message (RFC 8656 §12.4): the channel number and
 * where the data lies in the caller's buffer. Decoding allocates nothing. Not thread-safe.
 *
 * <p>Decoding rejects with {@link StunParseException}: fewer than 4 bytes; first two bits not
 * 0b01; a channel number outside 0x4000..0x4FFF; a length field claiming more data than arrived
 * (RFC 8656 §12.6 discards these); more bytes than the data and its padding (a datagram may end
 * with or without the padding; a stream frame must end with it). Padding bytes are ignored.
 */
public final class ChannelDataView {

    private byte[] buf;
    private int off;
    private int channel = -1;
    private int dataLength;

    /**
     * Decodes the message in {@code buf[off .. off+len)}: one datagram, or one frame cut from a
     * stream at {@link Framing#frameLength}.
     *
     * @throws StunParseException if the message is malformed; the view is then empty
     */
    public void decode(byte[] buf, int off, int len, Framing framing) throws StunParseException {
        this.buf = null;
        this.channel = -1;
        this.dataLength = 0;
        if (off < 0 || len < 0 || off > buf.length - len) {
            throw new IndexOutOfBoundsException(
                    "range [" + off + ", " + off + "+" + len + ") outside array of " + buf.length);
        }
        if (len < ChannelData.HEADER_SIZE) {
            throw tooShort(len);
        }
        int header = Bytes.getInt(buf, off);
        int number = header >>> 16;
        int length = header & 0xFFFF;
        if ((number & 0xC000) != 0x4000) {
            throw badFirstBits(number);
        }
        if (!ChannelNumber.isValid(number)) {
            throw MessageView.badChannelNumber("channel number", 0, number);
        }
        int follow = len - ChannelData.HEADER_SIZE;
        int padding = Bytes.padding(length);
        boolean fits =
                framing == Framing.STREAM ? follow == length + padding : follow >= length && follow <= length + padding;
        if (!fits) {
            throw badLength(length, follow, framing);
        }
        this.buf = buf;
        this.off = off;
        this.channel = number;
        this.dataLength = length;
    }

    private static StunParseException tooShort(int len) {
        return new StunParseException(
                "ChannelData", 0, len + " bytes, shorter than the " + ChannelData.HEADER_SIZE + "-byte header");
    }

    private static StunParseException badFirstBits(int number) {
        return new StunParseException(
                "channel number",
                0,
                "first two bits must be 0b01, got 0b"
                        + Integer.toBinaryString(0b100 | number >>> 14).substring(1));
    }

    private static StunParseException badLength(int length, int follow, Framing framing) {
        int padded = length + Bytes.padding(length);
        String expected = framing == Framing.STREAM
                ? padded + " (" + length + " bytes of data and " + (padded - length) + " of padding, a stream frame)"
                : length == padded ? String.valueOf(length) : length + " to " + padded + " (with padding)";
        return new StunParseException(
                "ChannelData length",
                2,
                "says " + length + ", so " + expected + " bytes should follow the header, got " + follow);
    }

    /** The channel number, 0x4000..0x4FFF (-1 before a successful decode). */
    public int channelNumber() {
        return channel;
    }

    /** The array the message was decoded from (not a copy). */
    public byte[] buffer() {
        return buf;
    }

    /** Offset of the application data in {@link #buffer()}. */
    public int dataOffset() {
        return off + ChannelData.HEADER_SIZE;
    }

    /** Length of the application data. */
    public int dataLength() {
        return dataLength;
    }

    /** Copies the application data into {@code dst[dstOff ..]} and returns its length; allocation-free. */
    public int copyData(byte[] dst, int dstOff) {
        System.arraycopy(buf, dataOffset(), dst, dstOff, dataLength);
        return dataLength;
    }

    /** The message as an immutable value (copies the data). */
    public ChannelData toChannelData() {
        return new ChannelData(channel, Arrays.copyOfRange(buf, dataOffset(), dataOffset() + dataLength));
    }
}
