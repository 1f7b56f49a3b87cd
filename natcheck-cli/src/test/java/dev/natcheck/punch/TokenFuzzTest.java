package dev.natcheck.punch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of the token reader with a fixed seed, so every build tries the same inputs:
 * random valid tokens round-trip; bit flips, cuts, insertions and garbage of every length are
 * either read as a token that writes back to the same text or refused with a
 * {@link TokenException} of one line. Anything else thrown fails the test.
 */
class TokenFuzzTest {

    private static final int VALID = 2_000;
    private static final int MUTATIONS = 50_000;

    @Test
    void randomValidTokensRoundTrip() throws TokenException {
        SplittableRandom random = new SplittableRandom(20_251_206L);
        for (int i = 0; i < VALID; i++) {
            Token token = randomToken(random);
            String text = TokenCodec.encode(token);
            assertThat(TokenCodec.decode(text)).as(text).isEqualTo(token);
        }
    }

    @Test
    void mutatedTokensAreReadOrRefusedCleanly() {
        SplittableRandom random = new SplittableRandom(7_919L);
        int refused = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            String text = mutate(TokenCodec.encode(randomToken(random)), random);
            try {
                Token token = TokenCodec.decode(text);
                assertThat(TokenCodec.encode(token))
                        .as("re-encoding of %s", text)
                        .isEqualTo(canonical(text));
            } catch (TokenException e) {
                assertThat(e.getMessage()).as(text).isNotBlank().doesNotContain("\n");
                refused++;
            }
        }
        // One mutation in seven only wraps the line, which reads as the same token; the checksum
        // refuses nearly all the others. A reader that let them through would be broken.
        assertThat(refused).isGreaterThan(MUTATIONS * 8 / 10);
    }

    /** What the reader reads: the text without whitespace. */
    private static String canonical(String text) {
        return text.replaceAll("\\s+", "");
    }

    private static String mutate(String text, SplittableRandom random) {
        StringBuilder b = new StringBuilder(text);
        switch (random.nextInt(7)) {
            case 0 -> b.setLength(random.nextInt(b.length() + 1)); // cut
            case 1 -> { // one character changed to any printable
                int at = random.nextInt(b.length());
                b.setCharAt(at, (char) random.nextInt(32, 127));
            }
            case 2 -> { // a bit flipped in the binary form, checksum left as it is
                byte[] raw = Base64.getUrlDecoder().decode(text.substring(3));
                raw[random.nextInt(raw.length)] ^= (byte) (1 << random.nextInt(8));
                return "nc." + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            }
            case 3 -> b.insert(random.nextInt(b.length() + 1), (char) random.nextInt(32, 127)); // inserted
            case 4 -> { // garbage of any length after the prefix
                StringBuilder garbage = new StringBuilder("nc.");
                int length = random.nextInt(300);
                String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                for (int k = 0; k < length; k++) {
                    garbage.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                return garbage.toString();
            }
            case 5 -> { // random bytes behind a valid checksum: the field checks alone must hold
                byte[] raw = new byte[random.nextInt(1, 160)];
                random.nextBytes(raw);
                raw[0] = 1;
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                if (raw.length >= 4) {
                    crc.update(raw, 0, raw.length - 4);
                    java.nio.ByteBuffer.wrap(raw, raw.length - 4, 4).putInt((int) crc.getValue());
                }
                return "nc." + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            }
            default -> b.insert(random.nextInt(b.length() + 1), random.nextBoolean() ? "\n" : " "); // wrapped
        }
        return b.toString();
    }

    static Token randomToken(SplittableRandom random) {
        List<Candidate> candidates = new ArrayList<>();
        int count = random.nextInt(TokenCodec.MAX_CANDIDATES + 1);
        CandidateType[] types = {
            CandidateType.HOST, CandidateType.SERVER_REFLEXIVE, CandidateType.PREDICTED, CandidateType.RELAYED
        };
        for (int i = 0; i < count; i++) {
            byte[] address = new byte[random.nextInt(4) == 0 ? 16 : 4];
            random.nextBytes(address);
            if (address.length == 16) {
                address[0] = 0x20; // never an IPv4-mapped address, which Java folds to IPv4
            }
            try {
                candidates.add(new Candidate(
                        types[random.nextInt(types.length)],
                        new InetSocketAddress(InetAddress.getByAddress(address), random.nextInt(1, 65536))));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        Profiles kind = Profiles.values()[random.nextInt(Profiles.values().length)];
        NatProfile profile = random.nextInt(5) == 0
                ? Profiles.sequentialSymmetric(random.nextBoolean() ? random.nextInt(1, 17) : -random.nextInt(1, 17))
                : kind.profile;
        return Token.withFreshCredentials(
                random.nextBoolean() ? Token.Kind.OFFER : Token.Kind.ANSWER,
                profile,
                random.nextBoolean(),
                candidates,
                random);
    }
}
