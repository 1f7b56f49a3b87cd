package dev.natcheck.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    private final MessageView view = new MessageView();
    private final MessageEncoder encoder = new MessageEncoder();

    @Test
    void messageTypeBitsFollowRfc8489Figure3() {
        assertThat(MessageHeader.messageType(MessageClass.REQUEST, 0x001)).isEqualTo(0x0001);
        assertThat(MessageHeader.messageType(MessageClass.INDICATION, 0x001)).isEqualTo(0x0011);
        assertThat(MessageHeader.messageType(MessageClass.SUCCESS_RESPONSE, 0x001))
                .isEqualTo(0x0101);
        assertThat(MessageHeader.messageType(MessageClass.ERROR_RESPONSE, 0x001))
                .isEqualTo(0x0111);
        for (int method = 0; method <= Method.MAX_CODE; method++) {
            for (MessageClass c : MessageClass.values()) {
                int t = MessageHeader.messageType(c, method);
                assertThat(t & 0xC000).isZero();
                assertThat(MessageHeader.methodCode(t)).isEqualTo(method);
                assertThat(MessageClass.ofBits(MessageHeader.classBits(t))).isEqualTo(c);
            }
        }
    }

    @Test
    void serverAnswersBindingRequestWithXorMappedAddress() throws Exception {
        TransactionId id = TransactionId.random();
        byte[] request = new byte[64];
        int n = encoder.begin(request, 0, MessageClass.REQUEST, Method.BINDING, id)
                .addChangeRequest(ChangeRequest.CHANGE_PORT)
                .addResponsePort(4242)
                .finish(true);

        view.decode(request, 0, n);
        assertThat(view.isBindingRequest()).isTrue();
        assertThat(view.isLegacy()).isFalse();
        assertThat(view.transactionIdMatches(id)).isTrue();
        assertThat(view.changeRequestFlags()).isEqualTo(ChangeRequest.CHANGE_PORT);
        assertThat(view.responsePort()).isEqualTo(4242);
        assertThat(view.hasFingerprint()).isTrue();
        assertThat(view.hasPadding()).isFalse();

        byte[] response = new byte[128];
        int m = encoder.beginResponse(response, 0, MessageClass.SUCCESS_RESPONSE, view)
                .addXorMappedAddress(0xC6336407, 40000) // 198.51.100.7
                .addSoftware("natcheck")
                .finish(true);

        view.decode(response, 0, m);
        assertThat(view.messageClass()).isEqualTo(MessageClass.SUCCESS_RESPONSE);
        assertThat(view.method()).isSameAs(Method.BINDING);
        assertThat(view.transactionId()).isEqualTo(id);
        assertThat(view.xorMappedAddress())
                .contains(new XorMappedAddress(InetAddress.getByName("198.51.100.7"), 40000));
        assertThat(view.software()).contains(new Software("natcheck"));
    }

    @Test
    void xorMappedAddressRoundTripsIpv6() throws Exception {
        InetAddress v6 = InetAddress.getByName("2001:db8::7");
        StunMessage sent = StunMessage.of(
                MessageClass.SUCCESS_RESPONSE,
                Method.BINDING,
                TransactionId.random(),
                new XorMappedAddress(v6, 65535),
                new MappedAddress(v6, 1),
                new OtherAddress(InetAddress.getByName("203.0.113.2"), 3479),
                new ResponseOrigin(InetAddress.getByName("203.0.113.1"), 3478),
                Fingerprint.INSTANCE);

        StunMessage received = StunMessage.decode(sent.encode());

        assertThat(received).isEqualTo(sent);
        assertThat(received.attribute(XorMappedAddress.class)
                        .orElseThrow()
                        .socketAddress()
                        .getAddress())
                .isEqualTo(v6);
    }

    @Test
    void errorResponseListsUnknownComprehensionRequiredAttributes() throws Exception {
        byte[] request = new byte[64];
        int n = encoder.begin(request, 0, MessageClass.REQUEST, Method.BINDING, TransactionId.random())
                .addRaw(0x7F01, new byte[] {1, 2, 3}, 0, 3)
                .addRaw(0xC001, new byte[] {1}, 0, 1) // comprehension-optional: skipped
                .addRaw(0x7F01, new byte[0], 0, 0) // duplicate: listed once
                .addRaw(0x0002, new byte[8], 0, 8)
                .finish(false);
        view.decode(request, 0, n);
        assertThat(view.unknownComprehensionRequired()).containsExactly(0x7F01, 0x0002);

        byte[] response = new byte[128];
        int m = encoder.beginResponse(response, 0, MessageClass.ERROR_RESPONSE, view)
                .addErrorCode(ErrorCode.UNKNOWN_ATTRIBUTE, "Unknown Attribute")
                .addUnknownAttributes(view)
                .finish(true);
        StunMessage answer = StunMessage.decode(response, 0, m);
        assertThat(answer.messageClass()).isEqualTo(MessageClass.ERROR_RESPONSE);
        assertThat(answer.attribute(ErrorCode.class)).contains(new ErrorCode(420, "Unknown Attribute"));
        assertThat(answer.attribute(UnknownAttributes.class)).contains(new UnknownAttributes(List.of(0x7F01, 0x0002)));
    }

    @Test
    void paddingIsCountedAndNonZeroPaddingBytesAreIgnored() throws Exception {
        byte[] b = new byte[128];
        int n = encoder.begin(b, 0, MessageClass.REQUEST, Method.BINDING, TransactionId.random())
                .addPadding(37)
                .addSoftware("x")
                .finish(false);
        // Overwrite the 3 bytes that pad PADDING's 37-byte value and SOFTWARE's 1-byte value.
        b[20 + 4 + 37] = b[20 + 4 + 38] = b[20 + 4 + 39] = (byte) 0xAA;
        b[64 + 4 + 1] = (byte) 0x55;

        view.decode(b, 0, n);
        assertThat(view.hasPadding()).isTrue();
        assertThat(view.paddingLength()).isEqualTo(37);
        assertThat(view.software()).contains(new Software("x"));
    }

    @Test
    void legacyMessageWithoutCookieIsRecognisedAndAnsweredWithItsWholeId() throws Exception {
        StunMessage legacy = new StunMessage(
                MessageClass.REQUEST,
                Method.BINDING,
                0x01020304,
                TransactionId.random(),
                List.of(new ChangeRequest(true, true)));
        byte[] b = legacy.encode();
        view.decode(b, 0, b.length);
        assertThat(view.isLegacy()).isTrue();
        assertThat(view.changeRequestFlags()).isEqualTo(ChangeRequest.CHANGE_IP | ChangeRequest.CHANGE_PORT);

        byte[] out = new byte[64];
        int n = encoder.beginResponse(out, 0, MessageClass.SUCCESS_RESPONSE, view)
                .addMappedAddress(0x7F000001, 5000)
                .addAddress(AttributeType.SOURCE_ADDRESS, 0x7F000002, 3478)
                .addAddress(AttributeType.CHANGED_ADDRESS, 0x7F000003, 3479)
                .finish(false);
        view.decode(out, 0, n);
        assertThat(view.isLegacy()).isTrue();
        assertThat(view.cookie()).isEqualTo(0x01020304);
        assertThat(view.transactionId()).isEqualTo(legacy.transactionId());
        assertThat(view.sourceAddress().orElseThrow().port()).isEqualTo(3478);
        assertThat(view.changedAddress().orElseThrow().address()).isEqualTo(InetAddress.getByName("127.0.0.3"));
    }

    @Test
    void ipv4XorAddressFromAnIntMatchesTheByteArrayFormAndTheRfcFormula() throws Exception {
        TransactionId id = TransactionId.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        int[] cookies = {MessageHeader.MAGIC_COOKIE, 0x01020304, 0xFFFFFFFF, 0};
        int[] addresses = {0xC0000201, 0x00000000, 0xFFFFFFFF, 0x7F000001};
        int[] ports = {0, 1, 32853, 65535};
        byte[] fromInt = new byte[64];
        byte[] fromArray = new byte[64];
        for (int cookie : cookies) {
            for (int address : addresses) {
                for (int port : ports) {
                    byte[] a = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
                    };
                    int n = encoder.begin(fromInt, 0, MessageClass.SUCCESS_RESPONSE, Method.BINDING, cookie, id)
                            .addXorMappedAddress(address, port)
                            .finish(true);
                    int m = encoder.begin(fromArray, 0, MessageClass.SUCCESS_RESPONSE, Method.BINDING, cookie, id)
                            .addXorMappedAddress(a, 0, 4, port)
                            .finish(true);
                    String row = String.format("cookie %08x address %08x port %d", cookie, address, port);

                    assertThat(n).as(row).isEqualTo(m).isEqualTo(40);
                    assertThat(fromInt).as(row).isEqualTo(fromArray);
                    // RFC 8489 §14.2: reserved 0, family 0x01, port ^ cookie's top 16 bits, address ^ cookie.
                    assertThat(Bytes.getInt(fromInt, 20)).as(row).isEqualTo(AttributeType.XOR_MAPPED_ADDRESS << 16 | 8);
                    assertThat(Bytes.getInt(fromInt, 24)).as(row).isEqualTo(0x00010000 | (port ^ cookie >>> 16));
                    assertThat(Bytes.getInt(fromInt, 28)).as(row).isEqualTo(address ^ cookie);
                    view.decode(fromInt, 0, n);
                    int x = view.indexOf(AttributeType.XOR_MAPPED_ADDRESS);
                    byte[] read = new byte[4];
                    assertThat(view.copyAddress(x, read, 0)).as(row).isEqualTo(4);
                    assertThat(read).as(row).isEqualTo(a);
                    assertThat(view.addressPort(x)).as(row).isEqualTo(port);
                }
            }
        }
    }
}
