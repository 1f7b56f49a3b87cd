package dev.natcheck.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ChannelData framing (RFC 8656 §12.4-12.6), the first-two-bits demultiplexer and stream framing. */
class ChannelDataTest {

    record Encoded(String name, int channel, String data, Framing framing, String hex) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Encoded> encoded() {
        return Stream.of(
                new Encoded("empty data, lowest channel", 0x4000, "", Framing.DATAGRAM, "4000 0000"),
                new Encoded("empty data over a stream", 0x4000, "", Framing.STREAM, "4000 0000"),
                new Encoded("4 bytes, highest channel", 0x4FFF, "01020304", Framing.DATAGRAM, "4fff 0004 01020304"),
                new Encoded(
                        "5 bytes in a datagram: no padding",
                        0x4001,
                        "68656c6c6f",
                        Framing.DATAGRAM,
                        "4001 0005 68656c6c6f"),
                new Encoded(
                        "5 bytes over a stream: 3 bytes of padding",
                        0x4001,
                        "68656c6c6f",
                        Framing.STREAM,
                        "4001 0005 68656c6c6f 000000"),
                new Encoded(
                        "7 bytes over a stream: 1 byte of padding",
                        0x4abc,
                        "01020304050607",
                        Framing.STREAM,
                        "4abc 0007 01020304050607 00"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encoded")
    void encodesAsRfc8656Figure(Encoded row) throws Exception {
        byte[] data = hex(row.data());
        ChannelData message = new ChannelData(row.channel(), data);
        byte[] buf = new byte[64];
        Arrays.fill(buf, (byte) 0x55); // stale bytes must not leak into the padding

        int n = ChannelData.encode(buf, 3, row.channel(), data, 0, data.length, row.framing());

        assertThat(HexFormat.of().formatHex(buf, 3, 3 + n)).isEqualTo(compact(row.hex()));
        assertThat(message.encode(row.framing())).isEqualTo(hex(row.hex()));
        assertThat(ChannelData.decode(hex(row.hex()), 0, n, row.framing())).isEqualTo(message);
    }

    @Test
    void writeHeaderFramesDataAlreadyInPlace() throws Exception {
        byte[] buf = new byte[32];
        Arrays.fill(buf, (byte) 0x55);
        System.arraycopy(hex("68656c6c6f"), 0, buf, 4, 5);

        int n = ChannelData.writeHeader(buf, 0, 0x4002, 5, Framing.STREAM);

        assertThat(HexFormat.of().formatHex(buf, 0, n)).isEqualTo("4002000568656c6c6f000000");
        ChannelDataView view = new ChannelDataView();
        view.decode(buf, 0, n, Framing.STREAM);
        assertThat(view.channelNumber()).isEqualTo(0x4002);
        assertThat(view.dataOffset()).isEqualTo(4);
        assertThat(view.dataLength()).isEqualTo(5);
    }

    @Test
    void aDatagramMayCarryThePaddingOrNot() throws Exception {
        ChannelDataView view = new ChannelDataView();
        for (String hex : List.of("4001 0005 68656c6c6f", "4001 0005 68656c6c6f 00", "4001 0005 68656c6c6f ffffff")) {
            byte[] wire = hex(hex);

            view.decode(wire, 0, wire.length, Framing.DATAGRAM);

            assertThat(view.toChannelData()).isEqualTo(new ChannelData(0x4001, hex("68656c6c6f")));
        }
    }

    record Malformed(String name, String hex, Framing framing, int offset, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Malformed> malformed() {
        return Stream.of(
                new Malformed(
                        "3 bytes",
                        "400000",
                        Framing.DATAGRAM,
                        0,
                        "ChannelData at offset 0: 3 bytes, shorter than the 4-byte header"),
                new Malformed(
                        "a STUN message's first bits",
                        "0001 0000",
                        Framing.DATAGRAM,
                        0,
                        "channel number at offset 0: first two bits must be 0b01, got 0b00"),
                new Malformed(
                        "RTP's first bits",
                        "8000 0000",
                        Framing.DATAGRAM,
                        0,
                        "channel number at offset 0: first two bits must be 0b01, got 0b10"),
                new Malformed(
                        "reserved channel 0x5000",
                        "5000 0000",
                        Framing.DATAGRAM,
                        0,
                        "channel number at offset 0: channel number 0x5000, expected 0x4000..0x4fff"),
                new Malformed(
                        "reserved channel 0x7fff",
                        "7fff 0000",
                        Framing.STREAM,
                        0,
                        "channel number at offset 0: channel number 0x7fff, expected 0x4000..0x4fff"),
                new Malformed(
                        "length longer than the datagram (RFC 8656 §12.6 discards it)",
                        "4000 0008 01020304",
                        Framing.DATAGRAM,
                        2,
                        "ChannelData length at offset 2: says 8, so 8 bytes should follow the header, got 4"),
                new Malformed(
                        "more than data and padding in a datagram",
                        "4000 0001 01000000 00",
                        Framing.DATAGRAM,
                        2,
                        "ChannelData length at offset 2: says 1, so 1 to 4 (with padding) bytes should follow the header, got 5"),
                new Malformed(
                        "stream frame without its padding",
                        "4000 0005 68656c6c6f",
                        Framing.STREAM,
                        2,
                        "ChannelData length at offset 2: says 5, so 8 (5 bytes of data and 3 of padding, a stream frame)"
                                + " bytes should follow the header, got 5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsNamingWhatAndWhere(Malformed row) {
        byte[] wire = hex(row.hex());
        ChannelDataView view = new ChannelDataView();

        StunParseException e =
                catchThrowableOfType(StunParseException.class, () -> view.decode(wire, 0, wire.length, row.framing()));

        assertThat(e).hasMessage(row.message());
        assertThat(e.offset()).isEqualTo(row.offset());
        assertThat(view.channelNumber()).isEqualTo(-1);
    }

    record Kind(String firstByte, PacketKind kind) {
        @Override
        public String toString() {
            return "0x" + firstByte + " -> " + kind;
        }
    }

    static Stream<Kind> kinds() {
        return Stream.of(
                new Kind("00", PacketKind.STUN),
                new Kind("01", PacketKind.STUN),
                new Kind("3f", PacketKind.STUN),
                new Kind("40", PacketKind.CHANNEL_DATA),
                new Kind("4f", PacketKind.CHANNEL_DATA),
                new Kind("7f", PacketKind.CHANNEL_DATA),
                new Kind("80", PacketKind.OTHER),
                new Kind("bf", PacketKind.OTHER),
                new Kind("c0", PacketKind.OTHER),
                new Kind("ff", PacketKind.OTHER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void demultiplexesByTheFirstTwoBits(Kind row) {
        byte[] packet = hex(row.firstByte() + "000000");

        assertThat(PacketKind.of(packet, 0, packet.length)).isEqualTo(row.kind());
    }

    @Test
    void anEmptyPacketIsNeither() {
        assertThat(PacketKind.of(new byte[4], 2, 0)).isEqualTo(PacketKind.OTHER);
    }

    @Test
    void aStreamIsCutIntoStunAndPaddedChannelDataFrames() throws Exception {
        byte[] stun = StunMessage.of(
                        MessageClass.SUCCESS_RESPONSE, Method.REFRESH, TransactionId.random(), new Lifetime(0))
                .encode();
        byte[] data5 = new ChannelData(0x4000, hex("68656c6c6f")).encode(Framing.STREAM);
        byte[] empty = new ChannelData(0x4fff, new byte[0]).encode(Framing.STREAM);
        byte[] stream = concat(stun, data5, empty, stun);

        List<Integer> frames = new ArrayList<>();
        int p = 0;
        while (p < stream.length) {
            int n = Framing.STREAM.frameLength(stream, p, stream.length - p);
            frames.add(n);
            p += n;
        }

        assertThat(frames).containsExactly(stun.length, 12, 4, stun.length);
        assertThat(Framing.STREAM.frameLength(stream, 0, 3)).isEqualTo(-1);
        assertThat(Framing.DATAGRAM.frameLength(data5, 0, data5.length)).isEqualTo(9);
        assertThatThrownBy(() -> Framing.STREAM.frameLength(hex("c0000000"), 0, 4))
                .isInstanceOf(StunParseException.class)
                .hasMessage("frame at offset 0: first two bits 0b11, neither STUN (0b00) nor ChannelData (0b01)");
    }

    @Test
    void refusesWhatTheHeaderCannotSay() {
        assertThatThrownBy(() -> new ChannelData(0x3fff, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("channel number must be 0x4000..0x4fff, got 0x3fff");
        assertThatThrownBy(() -> new ChannelData(0x4000, new byte[65536])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChannelData.writeHeader(new byte[8], 0, 0x4000, 5, Framing.STREAM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("buffer of 8 bytes has no room for 12 bytes at offset 0");
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private static String compact(String hex) {
        return hex.replaceAll("\\s+", "");
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(compact(s));
    }
}
