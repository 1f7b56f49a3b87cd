package dev.natcheck.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The long-term credential mechanism from the client's side (RFC 8489 §9.2): reading a 401/438,
 * deciding whether and how to answer it, writing and sealing the request, checking the answer.
 */
class LongTermCredentialsTest {

    private static final TransactionId ID = TransactionId.of(Rfc5769Test.bytes("000102030405060708090a0b"));
    private static final String SHA_COOKIE = new SecurityFeatures(SecurityFeatures.PASSWORD_ALGORITHMS).cookie();

    /** A challenge as a server writes it: an error response with the given attributes. */
    private static MessageView errorResponse(int code, StunAttribute... attributes) throws StunParseException {
        StunAttribute[] all = new StunAttribute[attributes.length + 1];
        all[0] = ErrorCode.of(code);
        System.arraycopy(attributes, 0, all, 1, attributes.length);
        MessageView view = new MessageView();
        view.decode(StunMessage.of(MessageClass.ERROR_RESPONSE, Method.ALLOCATE, ID, all)
                .encode());
        return view;
    }

    @Test
    void rebuildsRfc5769LongTermRequestByteForByte() throws Exception {
        // The §2.4 request answers a 401 that named this realm and nonce (no cookie: RFC 5389).
        Challenge challenge = Challenge.of(
                        errorResponse(401, new Realm(Rfc5769Test.REALM), new Nonce(Rfc5769Test.NONCE)))
                .orElseThrow();
        LongTermCredentials credentials = LongTermCredentials.answer(
                challenge, Rfc5769Test.LONG_TERM_USERNAME, Rfc5769Test.LONG_TERM_PASSWORD_SASLPREPPED);
        byte[] buf = new byte[256];

        int n = new MessageEncoder()
                .begin(
                        buf,
                        0,
                        MessageClass.REQUEST,
                        Method.BINDING,
                        TransactionId.of(Rfc5769Test.bytes("78 ad 34 33 c6 ad 72 c0 29 da 41 2e")))
                .addCredentials(credentials)
                .addMessageIntegrity(credentials)
                .finish(false);

        assertThat(Arrays.copyOf(buf, n)).isEqualTo(Rfc5769Test.bytes(Rfc5769Test.LONG_TERM_REQUEST));
        assertThat(credentials.sha256()).isFalse();
        assertThat(credentials.key())
                .isEqualTo(MessageIntegrity.longTermKey(
                        Rfc5769Test.LONG_TERM_USERNAME, Rfc5769Test.REALM, Rfc5769Test.LONG_TERM_PASSWORD_SASLPREPPED));
    }

    @Test
    void theRawRfc5769PasswordIsRefusedByOpaqueString() throws Exception {
        Challenge challenge = Challenge.of(errorResponse(401, new Realm("example.org"), new Nonce("n")))
                .orElseThrow();

        assertThatThrownBy(() -> LongTermCredentials.answer(
                        challenge, Rfc5769Test.LONG_TERM_USERNAME, "The\u00ADM\u00AAtr\u2168"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+00AD");
    }

    record ChallengeRow(String name, MessageView response, Optional<Challenge> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ChallengeRow> challenges() throws Exception {
        MessageView success = new MessageView();
        success.decode(
                StunMessage.of(MessageClass.SUCCESS_RESPONSE, Method.ALLOCATE, ID, new Realm("r"), new Nonce("n"))
                        .encode());
        return Stream.of(
                new ChallengeRow(
                        "401 with REALM and NONCE",
                        errorResponse(401, new Realm("r"), new Nonce("n")),
                        Optional.of(new Challenge(401, "r", "n", Optional.empty()))),
                new ChallengeRow(
                        "438 Stale Nonce",
                        errorResponse(438, new Nonce("n2"), new Realm("r")),
                        Optional.of(new Challenge(438, "r", "n2", Optional.empty()))),
                new ChallengeRow(
                        "401 offering SHA-256 and MD5",
                        errorResponse(
                                401,
                                new Realm("r"),
                                new Nonce(SHA_COOKIE + "x"),
                                PasswordAlgorithms.of(PasswordAlgorithm.SHA_256, PasswordAlgorithm.MD5)),
                        Optional.of(new Challenge(
                                401,
                                "r",
                                SHA_COOKIE + "x",
                                Optional.of(PasswordAlgorithms.of(PasswordAlgorithm.SHA_256, PasswordAlgorithm.MD5))))),
                new ChallengeRow("401 without NONCE", errorResponse(401, new Realm("r")), Optional.empty()),
                new ChallengeRow("401 without REALM", errorResponse(401, new Nonce("n")), Optional.empty()),
                new ChallengeRow("403 Forbidden", errorResponse(403, new Realm("r"), new Nonce("n")), Optional.empty()),
                new ChallengeRow("a success response", success, Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("challenges")
    void readsTheChallengeAClientNeeds(ChallengeRow row) {
        assertThat(Challenge.of(row.response())).isEqualTo(row.expected());
    }

    record RefusalRow(String name, Challenge challenge, String refusal) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<RefusalRow> refusals() {
        return Stream.of(
                new RefusalRow("an RFC 5389 challenge", new Challenge(401, "r", "n", Optional.empty()), null),
                new RefusalRow(
                        "cookie announces algorithms, list present",
                        new Challenge(401, "r", SHA_COOKIE, Optional.of(PasswordAlgorithms.of(PasswordAlgorithm.MD5))),
                        null),
                new RefusalRow(
                        "cookie announces algorithms, list stripped (bid-down)",
                        new Challenge(401, "r", SHA_COOKIE + "rest", Optional.empty()),
                        "the nonce cookie announces password algorithms but the answer has no"
                                + " PASSWORD-ALGORITHMS (a possible bid-down, RFC 8489 §9.2.5)"),
                new RefusalRow(
                        "no supported algorithm",
                        new Challenge(401, "r", "n", Optional.of(PasswordAlgorithms.of(0x7777))),
                        "PASSWORD-ALGORITHMS offers none of MD5 and SHA-256: [PasswordAlgorithm[0x7777]]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWhatRfc8489ForbidsAnswering(RefusalRow row) {
        assertThat(row.challenge().refusal()).isEqualTo(Optional.ofNullable(row.refusal()));
        if (row.refusal() != null) {
            assertThatThrownBy(() -> LongTermCredentials.answer(row.challenge(), "u", "p"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot answer the 401: " + row.refusal());
        }
    }

    @Test
    void offeredAlgorithmsAreEchoedAndTheFirstSupportedChosenAndSealedWithSha256() throws Exception {
        PasswordAlgorithms offered = PasswordAlgorithms.of(0x7777, PasswordAlgorithm.SHA_256, PasswordAlgorithm.MD5);
        Challenge challenge = new Challenge(401, "example.org", SHA_COOKIE + "abc", Optional.of(offered));
        LongTermCredentials credentials = LongTermCredentials.answer(challenge, "alice", "secret");
        byte[] buf = new byte[512];

        int n = new MessageEncoder()
                .begin(buf, 0, MessageClass.REQUEST, Method.ALLOCATE, ID)
                .addCredentials(credentials)
                .addRequestedTransport(RequestedTransport.UDP)
                .addMessageIntegrity(credentials)
                .finish(true);
        MessageView request = new MessageView();
        request.decode(buf, 0, n);

        byte[] sha256Key = PasswordAlgorithm.key(PasswordAlgorithm.SHA_256, "alice", "example.org", "secret");
        assertThat(credentials.key()).isEqualTo(sha256Key);
        assertThat(request.username()).contains(new Username("alice"));
        assertThat(request.passwordAlgorithms()).contains(offered);
        assertThat(request.passwordAlgorithm()).contains(new PasswordAlgorithm(PasswordAlgorithm.SHA_256));
        assertThat(request.hasMessageIntegrity()).isFalse();
        assertThat(request.verifyMessageIntegritySha256(sha256Key)).isTrue();
        assertThat(credentials.verify(request)).isTrue();
    }

    @Test
    void md5FirstStillSealsWithSha256UnderTheMd5Key() throws Exception {
        Challenge challenge = new Challenge(
                401,
                "r",
                SHA_COOKIE,
                Optional.of(PasswordAlgorithms.of(PasswordAlgorithm.MD5, PasswordAlgorithm.SHA_256)));
        LongTermCredentials credentials = LongTermCredentials.answer(challenge, "u", "p");
        byte[] buf = new byte[512];

        int n = new MessageEncoder()
                .begin(buf, 0, MessageClass.REQUEST, Method.REFRESH, ID)
                .addCredentials(credentials)
                .addMessageIntegrity(credentials)
                .finish(false);
        MessageView request = new MessageView();
        request.decode(buf, 0, n);

        assertThat(credentials.key()).isEqualTo(MessageIntegrity.longTermKey("u", "r", "p"));
        assertThat(request.verifyMessageIntegritySha256(credentials.key())).isTrue();
    }

    @Test
    void usernameAnonymitySendsUserhashInsteadOfUsername() throws Exception {
        String nonce = new SecurityFeatures(SecurityFeatures.USERNAME_ANONYMITY).cookie() + "xyz";
        LongTermCredentials credentials =
                LongTermCredentials.answer(new Challenge(401, "example.org", nonce, Optional.empty()), "bob", "pw");
        byte[] buf = new byte[512];

        int n = new MessageEncoder()
                .begin(buf, 0, MessageClass.REQUEST, Method.ALLOCATE, ID)
                .addCredentials(credentials)
                .addMessageIntegrity(credentials)
                .finish(true);
        MessageView request = new MessageView();
        request.decode(buf, 0, n);

        assertThat(request.has(AttributeType.USERNAME)).isFalse();
        assertThat(request.userhash()).contains(Userhash.of("bob", "example.org"));
        assertThat(request.verifyMessageIntegrity(credentials.key())).isTrue();
        assertThat(credentials.toString()).doesNotContain("pw").contains("USERHASH");
    }

    @Test
    void aStaleNonceKeepsTheKeyAndRefusesAnotherRealm() {
        LongTermCredentials first =
                LongTermCredentials.answer(new Challenge(401, "r", "n1", Optional.empty()), "u", "p");

        LongTermCredentials renewed = first.withNonce(new Challenge(438, "r", "n2", Optional.empty()));

        assertThat(renewed.nonce()).isEqualTo("n2");
        assertThat(renewed.key()).isEqualTo(first.key());
        assertThatThrownBy(() -> first.withNonce(new Challenge(438, "other", "n3", Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the 438 changes the realm from \"r\" to \"other\"");
        assertThatThrownBy(() -> first.withNonce(new Challenge(401, "r", "n3", Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aResponseIsAuthenticatedOnlyUnderTheRightKey() throws Exception {
        LongTermCredentials credentials =
                LongTermCredentials.answer(new Challenge(401, "r", "n", Optional.empty()), "u", "p");
        LongTermCredentials wrong =
                LongTermCredentials.answer(new Challenge(401, "r", "n", Optional.empty()), "u", "q");
        byte[] buf = new byte[256];
        int n = new MessageEncoder()
                .begin(buf, 0, MessageClass.SUCCESS_RESPONSE, Method.ALLOCATE, ID)
                .addLifetime(600)
                .addMessageIntegrity(credentials)
                .finish(true);
        MessageView response = new MessageView();
        response.decode(buf, 0, n);
        MessageView unsealed = new MessageView();
        unsealed.decode(StunMessage.of(MessageClass.SUCCESS_RESPONSE, Method.ALLOCATE, ID, new Lifetime(600))
                .encode());

        assertThat(credentials.verify(response)).isTrue();
        assertThat(wrong.verify(response)).isFalse();
        assertThat(credentials.verify(unsealed)).isFalse();
    }

    @Test
    void truncatedSha256IntegrityVerifiesAtItsOwnLength() throws Exception {
        byte[] key = MessageIntegrity.longTermKey("u", "r", "p");
        for (int length = 16; length <= 32; length += 4) {
            byte[] buf = new byte[256];
            int n = new MessageEncoder()
                    .begin(buf, 0, MessageClass.REQUEST, Method.BINDING, ID)
                    .addUsername("u")
                    .addMessageIntegritySha256(key, length)
                    .finish(false);
            MessageView view = new MessageView();
            view.decode(buf, 0, n);

            assertThat(view.messageIntegritySha256().orElseThrow().length()).isEqualTo(length);
            assertThat(view.verifyMessageIntegritySha256(key))
                    .as("length %d", length)
                    .isTrue();
            buf[24] ^= 1; // the username
            view.decode(buf, 0, n);
            assertThat(view.verifyMessageIntegritySha256(key))
                    .as("tampered, length %d", length)
                    .isFalse();
        }
    }

    @Test
    void restCredentialsAreTheExpiryTheUserAndTheirHmac() {
        // Expected password computed apart: base64(HMAC-SHA1(secret, username)) with Python's hmac.
        RestCredentials rest =
                RestCredentials.issue("natcheck-shared-secret", "bob", java.time.Instant.ofEpochSecond(1796595891L));

        assertThat(rest.username()).isEqualTo("1796595891:bob");
        assertThat(rest.password()).isEqualTo("kTHOo8aBuHOwHWTo6Xx8Asa3kME=");
        assertThat(rest.toString()).doesNotContain(rest.password());
        assertThatThrownBy(() -> RestCredentials.issue("", "bob", java.time.Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the shared secret is empty");
    }

    record CookieRow(String nonce, Optional<SecurityFeatures> features) {
        @Override
        public String toString() {
            return nonce;
        }
    }

    static Stream<CookieRow> cookies() {
        return Stream.of(
                new CookieRow("obMatJos2AAAA", Optional.of(new SecurityFeatures(0))),
                new CookieRow(
                        "obMatJos2AAABrest", Optional.of(new SecurityFeatures(SecurityFeatures.PASSWORD_ALGORITHMS))),
                new CookieRow("obMatJos2AAAC", Optional.of(new SecurityFeatures(SecurityFeatures.USERNAME_ANONYMITY))),
                new CookieRow("obMatJos2AAADx", Optional.of(new SecurityFeatures(3))),
                new CookieRow("obMatJos2////", Optional.of(new SecurityFeatures(0xFFFFFF))),
                new CookieRow("obMatJos2AA?B", Optional.empty()),
                new CookieRow("obMatJos2AAA", Optional.empty()),
                new CookieRow("obmatjos2AAAB", Optional.empty()),
                new CookieRow("f//499k954d6OL34oL9FSTvy64sA", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cookies")
    void readsTheNonceCookie(CookieRow row) throws Exception {
        MessageView view = new MessageView();
        view.decode(StunMessage.of(MessageClass.ERROR_RESPONSE, Method.ALLOCATE, ID, new Nonce(row.nonce()))
                .encode());

        assertThat(new Nonce(row.nonce()).securityFeatures()).isEqualTo(row.features());
        assertThat(view.securityFeatureBits())
                .isEqualTo(row.features().map(SecurityFeatures::bits).orElse(-1));
        row.features()
                .ifPresent(f -> assertThat(f.cookie()).isEqualTo(row.nonce().substring(0, 13)));
    }
}
