package dev.natcheck.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * RFC 8489 Appendix B.1, "Sample Request with Long-Term Authentication with
 * MESSAGE-INTEGRITY-SHA256 and USERHASH", byte for byte: as printed, and as corrected by
 * verified erratum 6268.
 *
 * <p>As printed, the vector does not hold together: its header says the body is 0x9c (156) bytes,
 * but 136 follow, and the text that goes with it asks for PASSWORD-ALGORITHM, which the bytes lack.
 * Its USERHASH and nonce cookie are right, and its HMAC is the HMAC-SHA256 of the printed bytes,
 * bad length included, under the SHA-256 key. The erratum adds PASSWORD-ALGORITHM (SHA-256), which
 * makes the length 0x90, and recomputes the HMAC; that form decodes and verifies here, and the
 * encoder rebuilds it byte for byte.
 */
class Rfc8489VectorTest {

    static final String USERNAME = Rfc5769Test.LONG_TERM_USERNAME;
    static final String REALM = "example.org";
    static final String NONCE = "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA";
    /** The password of B.1 "after OpaqueString processing", as the RFC gives it (see OpaqueStringTest). */
    static final String PASSWORD = "TheMatrIX";

    static final TransactionId ID = TransactionId.of(hex("78 ad 34 33 c6 ad 72 c0 29 da 41 2e"));

    static final String USERHASH_HEX =
            "4a 3c f3 8f ef 69 92 bd a9 52 c6 78 04 17 da 0f 24 81 94 15 56 9e 60 b2 05 c4 6e 41 40 7f 17 04";

    /** The body both forms share: USERHASH, NONCE (3 bytes of padding), REALM (1 byte). */
    static final String SHARED_BODY = "00 1e 00 20" + USERHASH_HEX + """
            00 15 00 29
            6f 62 4d 61 74 4a 6f 73 32 41 41 41 43 66 2f 2f 34 39 39 6b 39 35 34 64
            36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41 00 00 00
            00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
            """;

    /** Appendix B.1 exactly as printed in RFC 8489. */
    static final String AS_PRINTED = "00 01 00 9c 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e" + SHARED_BODY + """
            00 1c 00 20
            e4 68 6c 8f 0e de b5 90 13 e0 70 90 01 0a 93 ef
            cc bc cc 54 4c 0a 45 d9 f8 30 aa 6d 6f 73 5a 01
            """;

    /** Appendix B.1 as corrected by erratum 6268: PASSWORD-ALGORITHM SHA-256, length 0x90, new HMAC. */
    static final String CORRECTED = "00 01 00 90 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e" + SHARED_BODY + """
            00 1d 00 04 00 02 00 00
            00 1c 00 20
            b5 c7 bf 00 5b 6c 52 a2 1c 51 c5 e8 92 f8 19 24
            13 62 96 cb 92 7c 43 14 93 09 27 8c c6 51 8e 65
            """;

    static final byte[] SHA256_KEY = PasswordAlgorithm.key(PasswordAlgorithm.SHA_256, USERNAME, REALM, PASSWORD);

    @Test
    void asPrintedTheLengthFieldDisagreesWithTheBytes() {
        byte[] wire = hex(AS_PRINTED);

        StunParseException e = catchThrowableOfType(StunParseException.class, () -> new MessageView().decode(wire));

        assertThat(e)
                .hasMessage("message length at offset 2: header says 156, expected 136 (156 bytes received minus 20)");
    }

    @Test
    void asPrintedTheUserhashNonceCookieAndHmacAreRight() throws Exception {
        byte[] wire = hex(AS_PRINTED);

        assertThat(Arrays.copyOfRange(wire, 24, 56))
                .isEqualTo(Userhash.of(USERNAME, REALM).hash());
        assertThat(new Nonce(NONCE).securityFeatures())
                .contains(new SecurityFeatures(SecurityFeatures.USERNAME_ANONYMITY));
        // The HMAC covers the printed header, length 0x9c and all, under the SHA-256 key.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SHA256_KEY, "HmacSHA256"));
        mac.update(wire, 0, wire.length - 36);
        assertThat(mac.doFinal()).isEqualTo(Arrays.copyOfRange(wire, wire.length - 32, wire.length));
    }

    @Test
    void correctedDecodesEveryField() throws Exception {
        StunMessage decoded = StunMessage.decode(hex(CORRECTED));

        assertThat(decoded)
                .isEqualTo(new StunMessage(
                        MessageClass.REQUEST,
                        Method.BINDING,
                        ID,
                        List.of(
                                new Userhash(hex(USERHASH_HEX)),
                                new Nonce(NONCE),
                                new Realm(REALM),
                                new PasswordAlgorithm(PasswordAlgorithm.SHA_256),
                                new MessageIntegritySha256(
                                        hex("b5c7bf005b6c52a21c51c5e892f81924136296cb927c43149309278cc6518e65")))));
    }

    @Test
    void correctedVerifiesUnderTheSha256KeyOnly() throws Exception {
        MessageView view = new MessageView();
        view.decode(hex(CORRECTED));

        assertThat(view.verifyMessageIntegritySha256(SHA256_KEY)).isTrue();
        assertThat(view.verifyMessageIntegritySha256(
                        PasswordAlgorithm.key(PasswordAlgorithm.MD5, USERNAME, REALM, PASSWORD)))
                .isFalse();
        assertThat(view.verifyMessageIntegritySha256(
                        PasswordAlgorithm.key(PasswordAlgorithm.SHA_256, USERNAME, REALM, "TheMatrix")))
                .isFalse();
        assertThat(view.hasMessageIntegrity()).isFalse();
        assertThat(view.securityFeatureBits()).isEqualTo(SecurityFeatures.USERNAME_ANONYMITY);
    }

    @Test
    void correctedIsRebuiltByteForByteFromItsParts() {
        byte[] buf = new byte[256];
        byte[] userhash = Userhash.of(USERNAME, REALM).hash();

        int n = new MessageEncoder()
                .begin(buf, 0, MessageClass.REQUEST, Method.BINDING, ID)
                .addUserhash(userhash, 0)
                .addNonce(NONCE)
                .addRealm(REALM)
                .addPasswordAlgorithm(new PasswordAlgorithm(PasswordAlgorithm.SHA_256))
                .addMessageIntegritySha256(SHA256_KEY)
                .finish(false);

        assertThat(Arrays.copyOf(buf, n)).isEqualTo(hex(CORRECTED));
    }

    @Test
    void theRecordFormRecomputesTheHmacToTheSameBytes() throws Exception {
        StunMessage decoded = StunMessage.decode(hex(CORRECTED));

        assertThat(decoded.encode(SHA256_KEY)).isEqualTo(hex(CORRECTED));
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }
}
