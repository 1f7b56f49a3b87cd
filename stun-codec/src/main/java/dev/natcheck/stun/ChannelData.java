package dev.natcheck.stun;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A ChannelData message (RFC 8656 §12.4) as an immutable value: application data relayed on a
 * bound channel with a 4-byte header instead of a Send or Data indication's 36 bytes or more.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |         Channel Number        |            Length             |
 * |                       Application Data                        |
 * </pre>
 *
 * The length counts the data only; over a stream the message is padded to a multiple of 4
 * ({@link Framing}). The static {@code encode} and {@link #writeHeader} write without allocating;
 * {@link ChannelDataView} decodes without allocating.
 *
 * @param channelNumber the bound channel, 0x4000..0x4FFF
 * @param data          the application data (may be empty)
 */
public record ChannelData(int channelNumber, byte[] data) {

    /** Size of the header: channel number and length. */
    public static final int HEADER_SIZE = 4;
    /** The most data one message carries: the length field is 16 bits. */
    public static final int MAX_DATA = 0xFFFF;

    public ChannelData {
        checkChannel(channelNumber);
        checkLength(data.length);
        data = data.clone();
    }

    /** A copy of the data. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Bytes of this message on the wire with {@code framing}. */
    public int encodedLength(Framing framing) {
        return HEADER_SIZE + data.length + (framing == Framing.STREAM ? Bytes.padding(data.length) : 0);
    }

    /** Writes this message at {@code buf[off ..]} and returns its length. */
    public int encode(byte[] buf, int off, Framing framing) {
        return encode(buf, off, channelNumber, data, 0, data.length, framing);
    }

    /** This message as a new array. */
    public byte[] encode(Framing framing) {
        byte[] b = new byte[encodedLength(framing)];
        encode(b, 0, framing);
        return b;
    }

    /**
     * Writes a ChannelData message carrying {@code data[dataOff .. dataOff+dataLen)} on
     * {@code channel} at {@code buf[off ..]} and returns its length; allocation-free.
     */
    public static int encode(byte[] buf, int off, int channel, byte[] data, int dataOff, int dataLen, Framing framing) {
        checkLength(dataLen);
        checkRoom(buf, off, HEADER_SIZE + dataLen);
        System.arraycopy(data, dataOff, buf, off + HEADER_SIZE, dataLen);
        return writeHeader(buf, off, channel, dataLen, framing);
    }

    /**
     * Writes the header in front of {@code dataLength} bytes of data already at
     * {@code buf[off + 4 ..]} (and, for {@link Framing#STREAM}, zero padding after them); returns
     * the message length. The no-copy way to send: read or build the payload at offset 4.
     */
    public static int writeHeader(byte[] buf, int off, int channel, int dataLength, Framing framing) {
        checkChannel(channel);
        checkLength(dataLength);
        int padding = framing == Framing.STREAM ? Bytes.padding(dataLength) : 0;
        int total = HEADER_SIZE + dataLength + padding;
        checkRoom(buf, off, total);
        Bytes.putInt(buf, off, channel << 16 | dataLength);
        for (int k = off + HEADER_SIZE + dataLength; k < off + total; k++) {
            buf[k] = 0;
        }
        return total;
    }

    /** Decodes one message, strictly (see {@link ChannelDataView}). */
    public static ChannelData decode(byte[] buf, int off, int len, Framing framing) throws StunParseException {
        ChannelDataView view = new ChannelDataView();
        view.decode(buf, off, len, framing);
        return view.toChannelData();
    }

    private static void checkChannel(int channel) {
        if (!ChannelNumber.isValid(channel)) {
            throw new IllegalArgumentException(
                    String.format("channel number must be 0x4000..0x4fff, got 0x%04x", channel));
        }
    }

    private static void checkLength(int length) {
        if (length < 0 || length > MAX_DATA) {
            throw new IllegalArgumentException("ChannelData carries 0..65535 bytes, got " + length);
        }
    }

    private static void checkRoom(byte[] buf, int off, int n) {
        if (off < 0 || off > buf.length - n) {
            throw new IllegalArgumentException(
                    "buffer of " + buf.length + " bytes has no room for " + n + " bytes at offset " + off);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelData c && c.channelNumber == channelNumber && Arrays.equals(c.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * channelNumber + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return String.format(
                "ChannelData[0x%04x, %s]", channelNumber, HexFormat.of().formatHex(data));
    }
}
