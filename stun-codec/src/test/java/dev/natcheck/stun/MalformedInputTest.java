package dev.natcheck.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per way a message can be malformed: the exact message and offset decode must report. */
class MalformedInputTest {

    private static final String COOKIE_AND_ID = "2112a442 000102030405060708090a0b";

    record Row(String name, byte[] wire, int offset, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Header with the correct length for {@code bodyHex}, then the body. */
    static byte[] message(int type, String bodyHex) {
        byte[] body = hex(bodyHex);
        byte[] header = hex(String.format("%04x%04x", type, body.length) + COOKIE_AND_ID);
        byte[] m = new byte[header.length + body.length];
        System.arraycopy(header, 0, m, 0, header.length);
        System.arraycopy(body, 0, m, header.length, body.length);
        return m;
    }

    /** A message with {@code bodyHex} then a FINGERPRINT whose value is {@code crcXor} XOR the right one. */
    static byte[] withFingerprint(String bodyHex, int crcXor) {
        byte[] m = message(0x0001, bodyHex + "80280004 00000000");
        int crcEnd = m.length - 8;
        CRC32 crc = new CRC32();
        crc.update(m, 0, crcEnd);
        int v = (int) crc.getValue() ^ 0x5354554e ^ crcXor;
        m[crcEnd + 4] = (byte) (v >>> 24);
        m[crcEnd + 5] = (byte) (v >>> 16);
        m[crcEnd + 6] = (byte) (v >>> 8);
        m[crcEnd + 7] = (byte) v;
        return m;
    }

    static int correctFingerprint(byte[] m, int fingerprintOffset) {
        CRC32 crc = new CRC32();
        crc.update(m, 0, fingerprintOffset);
        return (int) crc.getValue() ^ 0x5354554e;
    }

    static Stream<Row> rows() {
        byte[] badFingerprint = withFingerprint("", 0xFFFFFFFF);
        return Stream.of(
                new Row(
                        "empty datagram",
                        new byte[0],
                        0,
                        "message at offset 0: 0 bytes, shorter than the 20-byte header"),
                new Row(
                        "truncated header",
                        hex("0001 0000 2112a442 0001020304050607080910"),
                        0,
                        "message at offset 0: 19 bytes, shorter than the 20-byte header"),
                new Row(
                        "first two bits set",
                        hex("c001 0000" + COOKIE_AND_ID),
                        0,
                        "message type at offset 0: first two bits must be 0b00, got 0b11"),
                new Row(
                        "first bit set (e.g. RTP/RTCP)",
                        hex("8001 0000" + COOKIE_AND_ID),
                        0,
                        "message type at offset 0: first two bits must be 0b00, got 0b10"),
                new Row(
                        "length not a multiple of 4",
                        hex("0001 0002" + COOKIE_AND_ID + "0000"),
                        2,
                        "message length at offset 2: 2 is not a multiple of 4"),
                new Row(
                        "length longer than datagram",
                        hex("0001 0008" + COOKIE_AND_ID),
                        2,
                        "message length at offset 2: header says 8, expected 0 (20 bytes received minus 20)"),
                new Row(
                        "length shorter than datagram",
                        hex("0001 0000" + COOKIE_AND_ID + "00000000"),
                        2,
                        "message length at offset 2: header says 0, expected 4 (24 bytes received minus 20)"),
                new Row(
                        "attribute overruns message",
                        message(0x0101, "0020000c 0001a147 e112a643"),
                        20,
                        "attribute XOR-MAPPED-ADDRESS at offset 20: length 12 overruns message end at 32"),
                new Row(
                        "unknown attribute overruns message",
                        message(0x0001, "7f010005 00000000"),
                        20,
                        "attribute 0x7F01 at offset 20: length 5 overruns message end at 28"),
                new Row(
                        "second attribute overruns message",
                        message(0x0001, "80220001 41000000 80220100"),
                        28,
                        "attribute SOFTWARE at offset 28: length 256 overruns message end at 32"),
                new Row(
                        "address family 3",
                        message(0x0101, "00010008 0003a147 e112a643"),
                        25,
                        "attribute MAPPED-ADDRESS at offset 25: address family 0x03, expected 0x01 (IPv4) or 0x02 (IPv6)"),
                new Row(
                        "IPv4 address with IPv6 length",
                        message(0x0101, "00200014 0001a147 e112a643" + "00000000 00000000 00000000"),
                        20,
                        "attribute XOR-MAPPED-ADDRESS at offset 20: length 20, expected 8 for IPV4"),
                new Row(
                        "IPv6 address with IPv4 length",
                        message(0x0101, "802c0008 00020d96 c6336401"),
                        20,
                        "attribute OTHER-ADDRESS at offset 20: length 8, expected 20 for IPV6"),
                new Row(
                        "address too short for a family",
                        message(0x0101, "802b0002 00010000"),
                        20,
                        "attribute RESPONSE-ORIGIN at offset 20: length 2, expected 8 (IPv4) or 20 (IPv6)"),
                new Row(
                        "legacy CHANGED-ADDRESS truncated",
                        message(0x0101, "00050007 00010d96 c63364 00"),
                        20,
                        "attribute CHANGED-ADDRESS at offset 20: length 7, expected 8 for IPV4"),
                new Row(
                        "CHANGE-REQUEST of 8 bytes",
                        message(0x0001, "00030008 00000006 00000000"),
                        20,
                        "attribute CHANGE-REQUEST at offset 20: length 8, expected 4"),
                new Row(
                        "RESPONSE-PORT of 3 bytes",
                        message(0x0001, "00270003 0d960000"),
                        20,
                        "attribute RESPONSE-PORT at offset 20: length 3, expected 4 (or 2)"),
                new Row(
                        "MESSAGE-INTEGRITY of 16 bytes",
                        message(0x0001, "00080010" + "00".repeat(16)),
                        20,
                        "attribute MESSAGE-INTEGRITY at offset 20: length 16, expected 20"),
                new Row(
                        "ERROR-CODE too short",
                        message(0x0111, "00090002 04000000"),
                        20,
                        "attribute ERROR-CODE at offset 20: length 2, expected at least 4"),
                new Row(
                        "ERROR-CODE class 2",
                        message(0x0111, "00090004 00000214"),
                        26,
                        "attribute ERROR-CODE at offset 26: class 2, expected 3..6"),
                new Row(
                        "ERROR-CODE class 7",
                        message(0x0111, "00090004 00000700"),
                        26,
                        "attribute ERROR-CODE at offset 26: class 7, expected 3..6"),
                new Row(
                        "ERROR-CODE number 100",
                        message(0x0111, "00090004 00000464"),
                        27,
                        "attribute ERROR-CODE at offset 27: number 100, expected 0..99"),
                new Row(
                        "UNKNOWN-ATTRIBUTES of odd length",
                        message(0x0111, "000a0003 7f01ff00"),
                        20,
                        "attribute UNKNOWN-ATTRIBUTES at offset 20: length 3, expected a multiple of 2"),
                new Row(
                        "CHANNEL-NUMBER of 2 bytes",
                        message(0x0009, "000c0002 40000000"),
                        20,
                        "attribute CHANNEL-NUMBER at offset 20: length 2, expected 4"),
                new Row(
                        "CHANNEL-NUMBER below 0x4000 (a STUN method's range)",
                        message(0x0009, "000c0004 3fff0000"),
                        24,
                        "attribute CHANNEL-NUMBER at offset 24: channel number 0x3fff, expected 0x4000..0x4fff"),
                new Row(
                        "CHANNEL-NUMBER reserved 0x5000",
                        message(0x0009, "000c0004 50000000"),
                        24,
                        "attribute CHANNEL-NUMBER at offset 24: channel number 0x5000, expected 0x4000..0x4fff"),
                new Row(
                        "LIFETIME of 8 bytes",
                        message(0x0004, "000d0008 00000258 00000000"),
                        20,
                        "attribute LIFETIME at offset 20: length 8, expected 4"),
                new Row(
                        "REQUESTED-TRANSPORT of 1 byte",
                        message(0x0003, "00190001 11000000"),
                        20,
                        "attribute REQUESTED-TRANSPORT at offset 20: length 1, expected 4"),
                new Row(
                        "REQUESTED-ADDRESS-FAMILY 3",
                        message(0x0003, "00170004 03000000"),
                        24,
                        "attribute REQUESTED-ADDRESS-FAMILY at offset 24: address family 0x03, expected 0x01 (IPv4) or 0x02 (IPv6)"),
                new Row(
                        "ADDITIONAL-ADDRESS-FAMILY 0",
                        message(0x0003, "80000004 00000000"),
                        24,
                        "attribute ADDITIONAL-ADDRESS-FAMILY at offset 24: address family 0x00, expected 0x01 (IPv4) or 0x02 (IPv6)"),
                new Row(
                        "EVEN-PORT of 4 bytes",
                        message(0x0003, "00180004 80000000"),
                        20,
                        "attribute EVEN-PORT at offset 20: length 4, expected 1"),
                new Row(
                        "DONT-FRAGMENT with a value",
                        message(0x0003, "001a0004 00000000"),
                        20,
                        "attribute DONT-FRAGMENT at offset 20: length 4, expected 0"),
                new Row(
                        "RESERVATION-TOKEN of 4 bytes",
                        message(0x0003, "00220004 01020304"),
                        20,
                        "attribute RESERVATION-TOKEN at offset 20: length 4, expected 8"),
                new Row(
                        "ICMP of 4 bytes",
                        message(0x0017, "80040004 00000603"),
                        20,
                        "attribute ICMP at offset 20: length 4, expected 8"),
                new Row(
                        "XOR-RELAYED-ADDRESS family 3",
                        message(0x0103, "00160008 0003a147 e112a643"),
                        25,
                        "attribute XOR-RELAYED-ADDRESS at offset 25: address family 0x03, expected 0x01 (IPv4) or 0x02 (IPv6)"),
                new Row(
                        "XOR-PEER-ADDRESS cut to 4 bytes",
                        message(0x0016, "00120004 0001a147"),
                        20,
                        "attribute XOR-PEER-ADDRESS at offset 20: length 4, expected 8 for IPV4"),
                new Row(
                        "ADDRESS-ERROR-CODE too short",
                        message(0x0103, "80010002 02000000"),
                        20,
                        "attribute ADDRESS-ERROR-CODE at offset 20: length 2, expected at least 4"),
                new Row(
                        "ADDRESS-ERROR-CODE family 0",
                        message(0x0103, "80010004 00000508"),
                        24,
                        "attribute ADDRESS-ERROR-CODE at offset 24: address family 0x00, expected 0x01 (IPv4) or 0x02 (IPv6)"),
                new Row(
                        "ADDRESS-ERROR-CODE class 2",
                        message(0x0103, "80010004 02000214"),
                        26,
                        "attribute ADDRESS-ERROR-CODE at offset 26: class 2, expected 3..6"),
                new Row(
                        "ADDRESS-ERROR-CODE reason not UTF-8",
                        message(0x0103, "80010005 02000508 ff000000"),
                        28,
                        "attribute ADDRESS-ERROR-CODE at offset 28: byte 0xff is not valid UTF-8 here"),
                new Row(
                        "USERHASH of 20 bytes",
                        message(0x0003, "001e0014" + "00".repeat(20)),
                        20,
                        "attribute USERHASH at offset 20: length 20, expected 32"),
                new Row(
                        "MESSAGE-INTEGRITY-SHA256 of 12 bytes",
                        message(0x0003, "001c000c" + "00".repeat(12)),
                        20,
                        "attribute MESSAGE-INTEGRITY-SHA256 at offset 20: length 12, expected 16..32, a multiple of 4"),
                new Row(
                        "MESSAGE-INTEGRITY-SHA256 of 18 bytes",
                        message(0x0003, "001c0012" + "00".repeat(20)),
                        20,
                        "attribute MESSAGE-INTEGRITY-SHA256 at offset 20: length 18, expected 16..32, a multiple of 4"),
                new Row(
                        "MESSAGE-INTEGRITY-SHA256 of 36 bytes after MESSAGE-INTEGRITY",
                        message(0x0003, "00080014" + "00".repeat(20) + "001c0024" + "00".repeat(36)),
                        44,
                        "attribute MESSAGE-INTEGRITY-SHA256 at offset 44: length 36, expected 16..32, a multiple of 4"),
                new Row(
                        "PASSWORD-ALGORITHMS ending in 2 bytes",
                        message(0x0113, "80020006 00020000 0001 0000"),
                        28,
                        "attribute PASSWORD-ALGORITHMS at offset 28: 2 bytes left, expected an algorithm of 4 or more"),
                new Row(
                        "PASSWORD-ALGORITHMS parameters overrunning the value",
                        message(0x0113, "80020008 00020000 00010004"),
                        28,
                        "attribute PASSWORD-ALGORITHMS at offset 28: algorithm parameters of 4 bytes (padded to 4)"
                                + " overrun the value end at 32"),
                new Row(
                        "PASSWORD-ALGORITHMS parameters' padding missing",
                        message(0x0113, "80020005 00010001 ff000000"),
                        24,
                        "attribute PASSWORD-ALGORITHMS at offset 24: algorithm parameters of 1 bytes (padded to 4)"
                                + " overrun the value end at 29"),
                new Row(
                        "PASSWORD-ALGORITHM with two algorithms",
                        message(0x0003, "001d0008 00020000 00010000"),
                        20,
                        "attribute PASSWORD-ALGORITHM at offset 20: length 8, expected one algorithm"),
                new Row(
                        "PASSWORD-ALGORITHM empty",
                        message(0x0003, "001d0000"),
                        20,
                        "attribute PASSWORD-ALGORITHM at offset 20: length 0, expected one algorithm"),
                new Row(
                        "REALM not UTF-8",
                        message(0x0113, "00140002 c3280000"),
                        25,
                        "attribute REALM at offset 25: byte 0x28 is not valid UTF-8 here"),
                new Row(
                        "NONCE not UTF-8",
                        message(0x0113, "00150001 80000000"),
                        24,
                        "attribute NONCE at offset 24: byte 0x80 is not valid UTF-8 here"),
                new Row(
                        "SOFTWARE not UTF-8",
                        message(0x0101, "80220004 6869ff21"),
                        26,
                        "attribute SOFTWARE at offset 26: byte 0xff is not valid UTF-8 here"),
                new Row(
                        "USERNAME ending mid-sequence",
                        message(0x0001, "00060004 6162e383"),
                        26,
                        "attribute USERNAME at offset 26: byte 0xe3 is not valid UTF-8 here"),
                new Row(
                        "USERNAME with an encoded surrogate",
                        message(0x0001, "00060003 eda08000"),
                        25,
                        "attribute USERNAME at offset 25: byte 0xa0 is not valid UTF-8 here"),
                new Row(
                        "ERROR-CODE reason with an overlong NUL",
                        message(0x0111, "00090006 00000400 c0800000"),
                        28,
                        "attribute ERROR-CODE at offset 28: byte 0xc0 is not valid UTF-8 here"),
                new Row(
                        "FINGERPRINT of 8 bytes",
                        message(0x0001, "80280008 00000000 00000000"),
                        20,
                        "attribute FINGERPRINT at offset 20: length 8, expected 4"),
                new Row(
                        "FINGERPRINT not last",
                        message(0x0001, "80280004 00000000 80220000"),
                        20,
                        "attribute FINGERPRINT at offset 20: must be the last attribute, but 4 bytes follow"),
                // Expected CRC computed independently (Python zlib.crc32 ^ 0x5354554e).
                new Row(
                        "FINGERPRINT zero",
                        message(0x0001, "80280004 00000000"),
                        20,
                        "attribute FINGERPRINT at offset 20: value 0x00000000, expected 0x5b0ff6fc"),
                new Row(
                        "FINGERPRINT wrong",
                        badFingerprint,
                        20,
                        String.format(
                                "attribute FINGERPRINT at offset 20: value 0x%08x, expected 0x%08x",
                                ~correctFingerprint(badFingerprint, 20), correctFingerprint(badFingerprint, 20))),
                new Row(
                        "FINGERPRINT wrong after a padded attribute",
                        withFingerprint("80220003 61626320", 1),
                        28,
                        "attribute FINGERPRINT at offset 28: value "
                                + String.format(
                                        "0x%08x, expected 0x%08x",
                                        correctFingerprint(withFingerprint("80220003 61626320", 1), 28) ^ 1,
                                        correctFingerprint(withFingerprint("80220003 61626320", 1), 28))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decodeReportsWhatWhereAndExpectedAgainstActual(Row row) {
        StunParseException e = catchThrowableOfType(
                StunParseException.class, () -> new MessageView().decode(row.wire(), 0, row.wire().length));

        assertThat(e).as("decode must reject %s", row.name()).isNotNull();
        assertThat(e).hasMessage(row.message());
        assertThat(e.offset()).isEqualTo(row.offset());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theRecordFormRejectsTheSameInput(Row row) {
        StunParseException e = catchThrowableOfType(StunParseException.class, () -> StunMessage.decode(row.wire()));

        assertThat(e).hasMessage(row.message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void offsetsCountFromTheMessageStartInsideALargerBuffer(Row row) {
        byte[] framed = new byte[row.wire().length + 13];
        System.arraycopy(row.wire(), 0, framed, 7, row.wire().length);
        MessageView view = new MessageView();

        StunParseException e =
                catchThrowableOfType(StunParseException.class, () -> view.decode(framed, 7, row.wire().length));

        assertThat(e).hasMessage(row.message());
        assertThat(view.attributeCount()).isZero();
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }
}
