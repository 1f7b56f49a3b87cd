package dev.natcheck.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The test vectors of RFC 5769 §2.1-2.4, byte for byte. They pad with 0x20 where this encoder
 * pads with zeros, so re-encodings are compared field by field, padding skipped, with
 * MESSAGE-INTEGRITY and FINGERPRINT checked by verification rather than by value.
 */
class Rfc5769Test {

    /** RFC 5769 §2.1-2.3 short-term password. */
    static final String PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

    /** §2.1 Sample Request. */
    static final String REQUEST = """
            00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
            00 24 00 04 6e 00 01 ff
            80 29 00 08 93 2f f9 b1 51 26 3b 36
            00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
            00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
            80 28 00 04 e5 7a 3b cf
            """;

    /** §2.2 Sample IPv4 Response. */
    static final String IPV4_RESPONSE = """
            01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 08 00 01 a1 47 e1 12 a6 43
            00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
            80 28 00 04 c0 7d 4c 96
            """;

    /** §2.3 Sample IPv6 Response. */
    static final String IPV6_RESPONSE = """
            01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
            00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
            80 28 00 04 c8 fb 0b 4c
            """;

    /** §2.4 Sample Request with Long-Term Authentication. */
    static final String LONG_TERM_REQUEST = """
            00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
            00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
            00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
            00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
            00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66
            """;

    /** §2.4 username: U+30DE U+30C8 U+30EA U+30C3 U+30AF U+30B9, unchanged by SASLprep. */
    static final String LONG_TERM_USERNAME = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
    /** §2.4 password "The&lt;U+00AD&gt;M&lt;U+00AA&gt;tr&lt;U+2168&gt;" after SASLprep, as the RFC gives it. */
    static final String LONG_TERM_PASSWORD_SASLPREPPED = "TheMatrIX";

    static final String REALM = "example.org";
    static final String NONCE = "f//499k954d6OL34oL9FSTvy64sA";

    static final TransactionId SAMPLE_ID = TransactionId.of(bytes("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"));

    record Vector(String name, String hex, byte[] key, StunMessage expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Vector> vectors() throws Exception {
        byte[] shortTerm = MessageIntegrity.shortTermKey(PASSWORD);
        return Stream.of(
                new Vector(
                        "2.1 sample request",
                        REQUEST,
                        shortTerm,
                        new StunMessage(
                                MessageClass.REQUEST,
                                Method.BINDING,
                                SAMPLE_ID,
                                List.of(
                                        new Software("STUN test client"),
                                        new RawAttribute(AttributeType.PRIORITY, bytes("6e 00 01 ff")),
                                        new RawAttribute(
                                                AttributeType.ICE_CONTROLLED, bytes("93 2f f9 b1 51 26 3b 36")),
                                        new Username("evtj:h6vY"),
                                        new MessageIntegrity(
                                                bytes("9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2")),
                                        Fingerprint.INSTANCE))),
                new Vector(
                        "2.2 sample IPv4 response",
                        IPV4_RESPONSE,
                        shortTerm,
                        new StunMessage(
                                MessageClass.SUCCESS_RESPONSE,
                                Method.BINDING,
                                SAMPLE_ID,
                                List.of(
                                        new Software("test vector"),
                                        new XorMappedAddress(InetAddress.getByName("192.0.2.1"), 32853),
                                        new MessageIntegrity(
                                                bytes("2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7")),
                                        Fingerprint.INSTANCE))),
                new Vector(
                        "2.3 sample IPv6 response",
                        IPV6_RESPONSE,
                        shortTerm,
                        new StunMessage(
                                MessageClass.SUCCESS_RESPONSE,
                                Method.BINDING,
                                SAMPLE_ID,
                                List.of(
                                        new Software("test vector"),
                                        new XorMappedAddress(
                                                InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853),
                                        new MessageIntegrity(
                                                bytes("a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41")),
                                        Fingerprint.INSTANCE))),
                new Vector(
                        "2.4 long-term authentication",
                        LONG_TERM_REQUEST,
                        MessageIntegrity.longTermKey(LONG_TERM_USERNAME, REALM, LONG_TERM_PASSWORD_SASLPREPPED),
                        new StunMessage(
                                MessageClass.REQUEST,
                                Method.BINDING,
                                TransactionId.of(bytes("78 ad 34 33 c6 ad 72 c0 29 da 41 2e")),
                                List.of(
                                        new Username(LONG_TERM_USERNAME),
                                        new Nonce(NONCE),
                                        new Realm(REALM),
                                        new MessageIntegrity(bytes(
                                                "f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66"))))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesEveryField(Vector v) throws Exception {
        byte[] wire = bytes(v.hex());

        StunMessage decoded = StunMessage.decode(wire);

        assertThat(decoded).isEqualTo(v.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void verifiesMessageIntegrityAndFingerprint(Vector v) throws Exception {
        byte[] wire = bytes(v.hex());
        MessageView view = new MessageView();

        view.decode(wire, 0, wire.length); // throws if FINGERPRINT is wrong

        assertThat(view.hasFingerprint()).isEqualTo(v.expected().hasFingerprint());
        assertThat(view.verifyMessageIntegrity(v.key())).isTrue();
        byte[] wrongKey = v.key().clone();
        wrongKey[0] ^= 1;
        assertThat(view.verifyMessageIntegrity(wrongKey)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void reEncodesFieldForField(Vector v) throws Exception {
        byte[] original = bytes(v.hex());
        MessageView theirs = new MessageView();
        theirs.decode(original, 0, original.length);

        byte[] ours = v.expected().encode(v.key());
        MessageView mine = new MessageView();
        mine.decode(ours, 0, ours.length);

        assertThat(ours).hasSameSizeAs(original);
        assertThat(mine.messageType()).isEqualTo(theirs.messageType());
        assertThat(mine.transactionId()).isEqualTo(theirs.transactionId());
        assertThat(mine.attributeCount()).isEqualTo(theirs.attributeCount());
        for (int i = 0; i < theirs.attributeCount(); i++) {
            int type = theirs.attributeType(i);
            assertThat(mine.attributeType(i)).as("type of attribute %d", i).isEqualTo(type);
            assertThat(mine.attributeValueOffset(i))
                    .as("offset of %s", AttributeType.name(type))
                    .isEqualTo(theirs.attributeValueOffset(i));
            assertThat(mine.attributeLength(i))
                    .as("length of %s", AttributeType.name(type))
                    .isEqualTo(theirs.attributeLength(i));
            if (type != AttributeType.MESSAGE_INTEGRITY && type != AttributeType.FINGERPRINT) {
                int o = theirs.attributeValueOffset(i);
                int n = theirs.attributeLength(i);
                assertThat(slice(ours, o, n))
                        .as("value of %s", AttributeType.name(type))
                        .isEqualTo(slice(original, o, n));
            }
        }
        // Our padding is zeros, so our HMAC differs from the vector's; it must still verify.
        assertThat(mine.verifyMessageIntegrity(v.key())).isTrue();
        assertThat(mine.toMessage().attributes().stream().filter(a -> !(a instanceof MessageIntegrity)))
                .containsExactlyElementsOf(v.expected().attributes().stream()
                        .filter(a -> !(a instanceof MessageIntegrity))
                        .toList());
    }

    @Test
    void zeroPaddedVectorsReEncodeByteForByte() throws Exception {
        // §2.1's USERNAME padding turned to zeros, M-I and FINGERPRINT recomputed by us, then
        // re-encoded from the record form with the HMAC kept: every byte must match.
        byte[] wire = bytes(REQUEST);
        wire[20 + 20 + 8 + 12 + 4 + 9] = wire[20 + 20 + 8 + 12 + 4 + 10] = wire[20 + 20 + 8 + 12 + 4 + 11] = 0;
        StunMessage m = new StunMessage(
                MessageClass.REQUEST,
                Method.BINDING,
                SAMPLE_ID,
                List.of(
                        new Software("STUN test client"),
                        new RawAttribute(AttributeType.PRIORITY, bytes("6e 00 01 ff")),
                        new RawAttribute(AttributeType.ICE_CONTROLLED, bytes("93 2f f9 b1 51 26 3b 36")),
                        new Username("evtj:h6vY"),
                        new MessageIntegrity(new byte[20]),
                        Fingerprint.INSTANCE));
        byte[] ours = m.encode(MessageIntegrity.shortTermKey(PASSWORD));

        StunMessage decoded = StunMessage.decode(ours);

        assertThat(decoded.encode()).isEqualTo(ours);
        assertThat(slice(ours, 0, 80)).isEqualTo(slice(wire, 0, 80));
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    private static byte[] slice(byte[] b, int off, int len) {
        return java.util.Arrays.copyOfRange(b, off, off + len);
    }
}
