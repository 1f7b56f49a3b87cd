package dev.natcheck.punch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.natcheck.behavior.EndpointDependence;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The token's text form: what round-trips, how long it gets, and one row per way to break it. */
class TokenCodecTest {

    static final String UFRAG = "AbC+";
    static final String PASSWORD = "0123456789abcdefABCD/w";

    static Candidate candidate(CandidateType type, String address, int port) {
        try {
            return new Candidate(type, new InetSocketAddress(InetAddress.getByName(address), port));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    /** A port-restricted cone's offer: two host addresses, the mapping, no prediction. */
    static Token typicalOffer() {
        return new Token(
                Token.Kind.OFFER,
                Profiles.PORT_RESTRICTED_CONE.profile,
                UFRAG,
                PASSWORD,
                false,
                List.of(
                        candidate(CandidateType.SERVER_REFLEXIVE, "198.51.100.2", 40000),
                        candidate(CandidateType.HOST, "192.168.1.2", 40000),
                        candidate(CandidateType.HOST, "2001:db8:3::2", 40001)));
    }

    record RoundTrip(String name, Token token) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<RoundTrip> roundTrips() {
        Token offer = typicalOffer();
        List<Candidate> sequential = new ArrayList<>();
        sequential.add(candidate(CandidateType.SERVER_REFLEXIVE, "198.51.100.130", 30004));
        for (int port : new PortPattern(PortAllocation.SEQUENTIAL, 2).predictAfter(30010, 6)) {
            sequential.add(candidate(CandidateType.PREDICTED, "198.51.100.130", port));
        }
        sequential.add(candidate(CandidateType.HOST, "192.168.2.2", 50000));
        return Stream.of(
                new RoundTrip("a port-restricted cone's offer", offer),
                new RoundTrip(
                        "an answer behind a symmetric NAT counting in steps of 2, six predicted ports",
                        new Token(
                                Token.Kind.ANSWER,
                                Profiles.sequentialSymmetric(2),
                                UFRAG,
                                PASSWORD,
                                false,
                                sequential)),
                new RoundTrip(
                        "counting down by 16, birthday asked",
                        new Token(
                                Token.Kind.OFFER,
                                Profiles.sequentialSymmetric(-16),
                                UFRAG,
                                PASSWORD,
                                true,
                                List.of(candidate(CandidateType.SERVER_REFLEXIVE, "203.0.113.99", 65535)))),
                new RoundTrip(
                        "UDP blocked, host candidates only",
                        new Token(
                                Token.Kind.ANSWER,
                                NatProfile.udpBlocked(),
                                UFRAG,
                                PASSWORD,
                                false,
                                List.of(candidate(CandidateType.HOST, "192.168.2.2", 1)))),
                new RoundTrip(
                        "nothing measured, no candidate",
                        new Token(
                                Token.Kind.OFFER,
                                new NatProfile(
                                        true,
                                        Optional.empty(),
                                        Optional.empty(),
                                        Optional.empty(),
                                        PortPattern.UNKNOWN),
                                UFRAG,
                                PASSWORD,
                                false,
                                List.of())),
                new RoundTrip(
                        "a relayed candidate (room for TURN)",
                        new Token(
                                Token.Kind.OFFER,
                                Profiles.SYMMETRIC.profile,
                                UFRAG,
                                PASSWORD,
                                false,
                                List.of(
                                        candidate(CandidateType.RELAYED, "203.0.113.50", 49152),
                                        candidate(CandidateType.RELAYED, "2001:db8:f::50", 49153)))),
                new RoundTrip(
                        "every behaviour value",
                        new Token(
                                Token.Kind.ANSWER,
                                Profiles.profile(
                                        false,
                                        EndpointDependence.ADDRESS_DEPENDENT,
                                        EndpointDependence.ADDRESS_AND_PORT_DEPENDENT,
                                        new PortPattern(PortAllocation.RANDOM, 0)),
                                UFRAG,
                                PASSWORD,
                                true,
                                List.of(candidate(CandidateType.HOST, "198.51.100.7", 3478)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTrips")
    void decodesWhatItEncodes(RoundTrip row) throws TokenException {
        String text = TokenCodec.encode(row.token());
        assertThat(text).startsWith("nc.").matches("nc\\.[A-Za-z0-9_-]+");
        assertThat(TokenCodec.decode(text)).isEqualTo(row.token());
    }

    @Test
    void aTypicalTokenIsShortAndAWrappedOneStillReads() throws TokenException {
        String text = TokenCodec.encode(typicalOffer());
        assertThat(text.length()).isLessThanOrEqualTo(90);
        String wrapped = "  " + text.substring(0, 30) + "\n" + text.substring(30, 50) + " \r\n\t" + text.substring(50);
        assertThat(TokenCodec.decode(wrapped)).isEqualTo(typicalOffer());
    }

    @Test
    void fitKeepsTheFirstCandidatesThatFitIn200Characters() throws TokenException {
        List<Candidate> many = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            many.add(candidate(CandidateType.HOST, "2001:db8::" + (i + 1), 40000 + i));
        }
        Token big = new Token(Token.Kind.OFFER, Profiles.OPEN.profile, UFRAG, PASSWORD, false, many);
        Token fitted = TokenCodec.fit(big);
        String text = TokenCodec.encode(fitted);
        assertThat(text.length()).isLessThanOrEqualTo(TokenCodec.MAX_TEXT);
        assertThat(fitted.candidates())
                .isEqualTo(many.subList(0, fitted.candidates().size()));
        assertThat(fitted.candidates()).hasSizeBetween(5, 6);
        assertThat(TokenCodec.decode(text)).isEqualTo(fitted);
        assertThat(TokenCodec.fit(typicalOffer())).isEqualTo(typicalOffer());
    }

    @Test
    void freshCredentialsFollowIce() {
        Token token = Token.withFreshCredentials(
                Token.Kind.OFFER, Profiles.OPEN.profile, false, List.of(), new SplittableRandom(1));
        // RFC 8445 section 5.3: at least 4 and 22 ice-chars (ALPHA / DIGIT / "+" / "/").
        assertThat(token.ufrag()).matches("[A-Za-z0-9+/]{4}");
        assertThat(token.password()).matches("[A-Za-z0-9+/]{22}");
        assertThat(token.toString()).doesNotContain(token.password());
    }

    record Bad(String name, String text, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> badTokens() {
        String good = TokenCodec.encode(typicalOffer());
        byte[] raw = Base64.getUrlDecoder().decode(good.substring(3));
        return Stream.of(
                new Bad("empty", "  \n", "empty token"),
                new Bad("another prefix", "xx." + good.substring(3), "does not start with 'nc.'"),
                new Bad("a STUN URL", "stun:stun.example.org", "does not start with 'nc.'"),
                new Bad("too long", "nc." + "A".repeat(2000), "token too long: 2003 characters"),
                new Bad(
                        "a character outside base64url",
                        good.substring(0, 10) + "+" + good.substring(11),
                        "character '+' at position 11 is not base64url"),
                new Bad("truncated to a partial byte", good.substring(0, 8), "cannot be whole bytes"),
                new Bad("nothing after the prefix", "nc.", "truncated: nothing after 'nc.'"),
                new Bad("truncated by a few characters", good.substring(0, good.length() - 6), "checksum mismatch"),
                new Bad("truncated to the header", good.substring(0, 19), "truncated: 12 bytes"),
                new Bad(
                        "stray bits in the last character",
                        good.substring(0, good.length() - 1) + (good.endsWith("B") ? "C" : "B"),
                        "does not end a token"),
                new Bad(
                        "version 2",
                        "nc." + b64(with(raw, b -> set(b, 0, 2))),
                        "token version 2; this natcheck reads version 1"),
                new Bad("version 0", "nc." + b64(with(raw, b -> set(b, 0, 0))), "token version 0"),
                new Bad("one character changed", tamper(good), "checksum mismatch"),
                new Bad("a byte changed", "nc." + b64(with(raw, b -> set(b, 30, b[30] ^ 1))), "checksum mismatch"),
                new Bad(
                        "reserved flag bits",
                        sealed(with(raw, b -> set(b, 1, b[1] | 0x01))),
                        "byte 1: reserved bits set"),
                new Bad("translated 3", sealed(with(raw, b -> set(b, 1, b[1] | 0x18))), "translated has no value 3"),
                new Bad(
                        "reserved behaviour bits",
                        sealed(with(raw, b -> set(b, 2, b[2] | 0x02))),
                        "byte 2: reserved bits"),
                new Bad(
                        "a step without sequential allocation",
                        sealed(with(raw, b -> set(b, 3, 5))),
                        "bytes 1-3: a step (5)"),
                new Bad("a step too large", sealed(sequentialStep(raw, 40)), "step 40 beyond ±16"),
                new Bad(
                        "findings without a UDP answer",
                        sealed(with(raw, b -> set(b, 1, b[1] & ~0x20))),
                        "without a UDP answer nothing about the NAT is known"),
                new Bad("16 candidates", sealed(with(raw, b -> set(b, 23, 16))), "16 candidates, at most 15"),
                new Bad(
                        "one candidate fewer than counted",
                        sealed(with(raw, b -> set(b, 23, 4))),
                        "truncated: candidate 4 missing"),
                new Bad(
                        "one candidate more than counted",
                        sealed(with(raw, b -> set(b, 23, 2))),
                        "bytes after the last of 2 candidates"),
                new Bad(
                        "peer-reflexive is never sent",
                        sealed(with(raw, b -> set(b, 24, 0xf4))),
                        "candidate 1 at byte 24: unknown type 15"),
                new Bad("address family 5", sealed(with(raw, b -> set(b, 24, 0x15))), "unknown address family 5"),
                new Bad(
                        "an IPv6 candidate cut short",
                        sealed(java.util.Arrays.copyOf(raw, raw.length - 10)),
                        "truncated: candidate 3 at byte 38"),
                new Bad("port 0", sealed(with(raw, b -> set(set(b, 29, 0), 30, 0))), "candidate 1 at byte 24: port 0"),
                new Bad("an IPv4-mapped IPv6 address", sealed(mappedIpv6(raw)), "an IPv4-mapped IPv6 address"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void aBadTokenIsOneLineSayingWhatIsWrong(Bad row) {
        assertThatThrownBy(() -> TokenCodec.decode(row.text()))
                .isInstanceOf(TokenException.class)
                .hasMessageContaining(row.error())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] with(byte[] raw, UnaryOperator<byte[]> change) {
        return change.apply(raw.clone());
    }

    private static byte[] set(byte[] b, int index, int value) {
        b[index] = (byte) value;
        return b;
    }

    /** {@code raw} (with or without its old checksum) behind a fresh, valid checksum. */
    private static String sealed(byte[] raw) {
        ByteBuffer out = ByteBuffer.allocate(raw.length);
        CRC32 crc = new CRC32();
        crc.update(raw, 0, raw.length - 4);
        out.put(raw, 0, raw.length - 4).putInt((int) crc.getValue());
        return "nc." + b64(out.array());
    }

    private static byte[] sequentialStep(byte[] raw, int step) {
        byte[] b = raw.clone();
        b[2] = (byte) ((b[2] & ~0x0c) | (PortAllocation.SEQUENTIAL.code() << 2));
        b[3] = (byte) step;
        return b;
    }

    /** The typical offer with its IPv6 host candidate replaced by ::ffff:192.0.2.1 (same length). */
    private static byte[] mappedIpv6(byte[] raw) {
        byte[] b = raw.clone();
        int at = 24 + 7 + 7 + 1; // header, two IPv4 candidates, the IPv6 candidate's type byte
        java.util.Arrays.fill(b, at, at + 16, (byte) 0);
        b[at + 10] = (byte) 0xff;
        b[at + 11] = (byte) 0xff;
        b[at + 12] = (byte) 192;
        b[at + 15] = 1;
        return b;
    }

    /** The text with one base64 character changed to another (a typo, not a truncation). */
    private static String tamper(String good) {
        int at = good.length() / 2;
        char replacement = good.charAt(at) == 'A' ? 'B' : 'A';
        return good.substring(0, at) + replacement + good.substring(at + 1);
    }
}
