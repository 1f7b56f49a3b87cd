package dev.natcheck.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The messages of a TURN exchange (RFC 8656), one row each: the bytes the RFC's attribute
 * layouts (§18) give, written out by hand; the record form and the allocation-free encoder must
 * both produce them, and decoding must give the record back. RFC 8656 has no hex test vectors;
 * the XOR-PEER-ADDRESS of 192.0.2.1:32853 is RFC 5769 §2.2's XOR-MAPPED-ADDRESS under another type.
 */
class TurnMessagesTest {

    private static final TransactionId ID = TransactionId.of(hex("000102030405060708090a0b"));
    private static final String COOKIE_AND_ID = "2112a442 000102030405060708090a0b";

    /** 192.0.2.1:32853, as in RFC 5769 §2.2. */
    private static final String XOR_V4_PEER = "0001a147 e112a643";

    record Row(String name, String hex, StunMessage message, Function<MessageEncoder, MessageEncoder> encoder) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() throws Exception {
        InetAddress peer = InetAddress.getByName("192.0.2.1");
        InetAddress relayed = InetAddress.getByName("192.0.2.15");
        InetAddress peer6 = InetAddress.getByName("2001:db8::1");
        byte[] hello = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return Stream.of(
                new Row(
                        "Allocate request: UDP, 600 s, even port with the next reserved",
                        "0003 0018" + COOKIE_AND_ID + "00190004 11000000" + "000d0004 00000258" + "00180001 80000000",
                        StunMessage.of(
                                MessageClass.REQUEST,
                                Method.ALLOCATE,
                                ID,
                                new RequestedTransport(RequestedTransport.UDP),
                                new Lifetime(600),
                                new EvenPort(true)),
                        e -> e.addRequestedTransport(RequestedTransport.UDP)
                                .addLifetime(600)
                                .addEvenPort(true)),
                new Row(
                        "Allocate request: IPv6 relay, don't fragment, claim a reserved port",
                        "0003 0020" + COOKIE_AND_ID
                                + "00190004 11000000"
                                + "00170004 02000000"
                                + "001a0000"
                                + "00220008 01020304 05060708",
                        StunMessage.of(
                                MessageClass.REQUEST,
                                Method.ALLOCATE,
                                ID,
                                new RequestedTransport(RequestedTransport.UDP),
                                new RequestedAddressFamily(AddressFamily.IPV6),
                                DontFragment.INSTANCE,
                                new ReservationToken(0x0102030405060708L)),
                        e -> e.addRequestedTransport(RequestedTransport.UDP)
                                .addRequestedAddressFamily(AddressFamily.IPV6)
                                .addDontFragment()
                                .addReservationToken(0x0102030405060708L)),
                new Row(
                        "Allocate request: dual stack",
                        "0003 0010" + COOKIE_AND_ID + "00190004 11000000" + "80000004 02000000",
                        StunMessage.of(
                                MessageClass.REQUEST,
                                Method.ALLOCATE,
                                ID,
                                new RequestedTransport(RequestedTransport.UDP),
                                new AdditionalAddressFamily(AddressFamily.IPV6)),
                        e -> e.addRequestedTransport(RequestedTransport.UDP)
                                .addAdditionalAddressFamily(AddressFamily.IPV6)),
                new Row(
                        "Allocate success: relayed 192.0.2.15:50000, mapped 192.0.2.1:32853, 600 s",
                        "0103 0020" + COOKIE_AND_ID
                                + "00160008 0001e242 e112a64d"
                                + "00200008 " + XOR_V4_PEER
                                + "000d0004 00000258",
                        StunMessage.of(
                                MessageClass.SUCCESS_RESPONSE,
                                Method.ALLOCATE,
                                ID,
                                new XorRelayedAddress(relayed, 50000),
                                new XorMappedAddress(peer, 32853),
                                new Lifetime(600)),
                        e -> e.addXorRelayedAddress(0xC000020F, 50000)
                                .addXorMappedAddress(0xC0000201, 32853)
                                .addLifetime(600)),
                new Row(
                        "Allocate success, dual stack refused for IPv6: ADDRESS-ERROR-CODE 440",
                        "0103 0030" + COOKIE_AND_ID
                                + "00160008 0001e242 e112a64d"
                                + "8001 0020 02000428 416464726573732046616d696c79206e6f7420537570706f72746564",
                        StunMessage.of(
                                MessageClass.SUCCESS_RESPONSE,
                                Method.ALLOCATE,
                                ID,
                                new XorRelayedAddress(relayed, 50000),
                                new AddressErrorCode(
                                        AddressFamily.IPV6,
                                        ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED,
                                        "Address Family not Supported")),
                        e -> e.addXorRelayedAddress(0xC000020F, 50000)
                                .addAddressErrorCode(
                                        AddressFamily.IPV6,
                                        ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED,
                                        ErrorCode.defaultReason(ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED))),
                new Row(
                        "Refresh request: lifetime 0 releases the allocation",
                        "0004 0008" + COOKIE_AND_ID + "000d0004 00000000",
                        StunMessage.of(MessageClass.REQUEST, Method.REFRESH, ID, new Lifetime(0)),
                        e -> e.addLifetime(0)),
                new Row(
                        "Refresh success: the largest lifetime",
                        "0104 0008" + COOKIE_AND_ID + "000d0004 ffffffff",
                        StunMessage.of(MessageClass.SUCCESS_RESPONSE, Method.REFRESH, ID, new Lifetime(Lifetime.MAX)),
                        e -> e.addLifetime(Lifetime.MAX)),
                new Row(
                        "CreatePermission request",
                        "0008 000c" + COOKIE_AND_ID + "00120008 " + XOR_V4_PEER,
                        StunMessage.of(
                                MessageClass.REQUEST, Method.CREATE_PERMISSION, ID, new XorPeerAddress(peer, 32853)),
                        e -> e.addXorPeerAddress(0xC0000201, 32853)),
                new Row(
                        "ChannelBind request: channel 0x4000",
                        "0009 0014" + COOKIE_AND_ID + "000c0004 40000000" + "00120008 " + XOR_V4_PEER,
                        StunMessage.of(
                                MessageClass.REQUEST,
                                Method.CHANNEL_BIND,
                                ID,
                                new ChannelNumber(0x4000),
                                new XorPeerAddress(peer, 32853)),
                        e -> e.addChannelNumber(0x4000).addXorPeerAddress(0xC0000201, 32853)),
                new Row(
                        "ChannelBind success",
                        "0109 0000" + COOKIE_AND_ID,
                        StunMessage.of(MessageClass.SUCCESS_RESPONSE, Method.CHANNEL_BIND, ID),
                        e -> e),
                new Row(
                        "Send indication: 'hello' to 192.0.2.1:32853, don't fragment",
                        "0016 001c" + COOKIE_AND_ID
                                + "00120008 " + XOR_V4_PEER
                                + "00130005 68656c6c 6f000000"
                                + "001a0000",
                        StunMessage.of(
                                MessageClass.INDICATION,
                                Method.SEND,
                                ID,
                                new XorPeerAddress(peer, 32853),
                                new Data(hello),
                                DontFragment.INSTANCE),
                        e -> e.addXorPeerAddress(0xC0000201, 32853)
                                .addData(hello, 0, hello.length)
                                .addDontFragment()),
                new Row(
                        "Data indication from [2001:db8::1]:32853",
                        // IPv6: XORed with the cookie and the transaction id (RFC 8489 §14.2).
                        "0017 0024" + COOKIE_AND_ID
                                + "00120014 0002a147 0113a9fa 00010203 04050607 08090a0a"
                                + "00130005 68656c6c 6f000000",
                        StunMessage.of(
                                MessageClass.INDICATION,
                                Method.DATA,
                                ID,
                                new XorPeerAddress(peer6, 32853),
                                new Data(hello)),
                        e -> e.addXorPeerAddress(peer6, 32853).addData(hello, 0, hello.length)),
                new Row(
                        "Data indication with ICMP port unreachable (type 3, code 3)",
                        "0017 0018" + COOKIE_AND_ID + "00120008 " + XOR_V4_PEER + "80040008 00000603 00000000",
                        StunMessage.of(
                                MessageClass.INDICATION,
                                Method.DATA,
                                ID,
                                new XorPeerAddress(peer, 32853),
                                new Icmp(3, 3, 0)),
                        e -> e.addXorPeerAddress(0xC0000201, 32853).addIcmp(3, 3, 0)),
                new Row(
                        "Allocate error 437 Allocation Mismatch",
                        "0113 001c" + COOKIE_AND_ID + "00090017 00000425 416c6c6f636174696f6e204d69736d61746368 00",
                        StunMessage.of(
                                MessageClass.ERROR_RESPONSE,
                                Method.ALLOCATE,
                                ID,
                                ErrorCode.of(ErrorCode.ALLOCATION_MISMATCH)),
                        e -> e.addErrorCode(ErrorCode.ALLOCATION_MISMATCH, "Allocation Mismatch")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theRecordEncodesToTheRfcLayout(Row row) {
        assertThat(HexFormat.of().formatHex(row.message().encode())).isEqualTo(compact(row.hex()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theEncoderWritesTheSameBytes(Row row) {
        byte[] buf = new byte[256];
        MessageEncoder encoder = new MessageEncoder()
                .begin(buf, 0, row.message().messageClass(), row.message().method(), ID);

        int n = row.encoder().apply(encoder).finish(false);

        assertThat(HexFormat.of().formatHex(buf, 0, n)).isEqualTo(compact(row.hex()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decodesToTheRecord(Row row) throws Exception {
        MessageView view = new MessageView();
        byte[] wire = hex(row.hex());

        view.decode(wire);

        assertThat(view.toMessage()).isEqualTo(row.message());
        assertThat(view.unknownComprehensionRequiredCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void survivesAFingerprint(Row row) throws Exception {
        byte[] buf = new byte[256];
        int n = row.encoder()
                .apply(new MessageEncoder()
                        .begin(
                                buf,
                                0,
                                row.message().messageClass(),
                                row.message().method(),
                                ID))
                .finish(true);
        MessageView view = new MessageView();

        view.decode(buf, 0, n);

        assertThat(view.hasFingerprint()).isTrue();
        java.util.List<StunAttribute> expected =
                new java.util.ArrayList<>(row.message().attributes());
        expected.add(Fingerprint.INSTANCE);
        assertThat(view.toMessage().attributes()).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void allocationFreeAccessorsReadAnAllocateSuccess() throws Exception {
        byte[] wire = rows().filter(r -> r.name().startsWith("Allocate success: relayed"))
                .findFirst()
                .orElseThrow()
                .message()
                .encode();
        MessageView view = new MessageView();
        view.decode(wire);
        byte[] address = new byte[16];

        int i = view.indexOf(AttributeType.XOR_RELAYED_ADDRESS);

        assertThat(view.copyAddress(i, address, 0)).isEqualTo(4);
        assertThat(java.util.Arrays.copyOf(address, 4)).containsExactly(192, 0, 2, 15);
        assertThat(view.addressPort(i)).isEqualTo(50000);
        assertThat(view.lifetimeSeconds()).isEqualTo(600);
        assertThat(view.channelNumber()).isEqualTo(-1);
        assertThat(view.errorCodeValue()).isEqualTo(-1);
        assertThat(view.xorRelayedAddress().orElseThrow().socketAddress()).hasToString("/192.0.2.15:50000");
    }

    @org.junit.jupiter.api.Test
    void theEncoderRefusesValuesTheFieldsCannotHold() {
        MessageEncoder e = new MessageEncoder().begin(new byte[64], 0, MessageClass.REQUEST, Method.ALLOCATE, ID);

        assertThatThrownBy(() -> e.addChannelNumber(0x3FFF))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("channel number must be 0x4000..0x4fff, got 0x3fff");
        assertThatThrownBy(() -> e.addLifetime(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.addLifetime(1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.addRequestedTransport(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.addIcmp(128, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChannelNumber(0x5000)).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void turnMethodsHaveTheirRfcNumbersAndNames() {
        assertThat(Stream.of(
                                Method.ALLOCATE,
                                Method.REFRESH,
                                Method.SEND,
                                Method.DATA,
                                Method.CREATE_PERMISSION,
                                Method.CHANNEL_BIND)
                        .map(m -> String.format("0x%03x %s", m.code(), m)))
                .containsExactly(
                        "0x003 Allocate",
                        "0x004 Refresh",
                        "0x006 Send",
                        "0x007 Data",
                        "0x008 CreatePermission",
                        "0x009 ChannelBind");
        assertThat(MessageHeader.messageType(MessageClass.INDICATION, Method.SEND.code()))
                .isEqualTo(0x0016);
        assertThat(MessageHeader.messageType(MessageClass.ERROR_RESPONSE, Method.CHANNEL_BIND.code()))
                .isEqualTo(0x0119);
    }

    private static String compact(String hex) {
        return hex.replaceAll("\\s+", "");
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(compact(s));
    }
}
