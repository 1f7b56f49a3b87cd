package dev.natcheck.punch;

import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What one peer tells the other through copy and paste: which side it is, its candidates, its NAT
 * profile, and its ICE credentials (RFC 8445 section 5.3: a username fragment of 24 random bits,
 * a password of 128). {@link TokenCodec} turns it into one line of text and back.
 *
 * @param ufrag the username fragment, 4 characters of standard base64 (ICE characters only)
 * @param password the password, 22 characters of standard base64
 * @param birthday whether this side asks for the birthday trick against a symmetric NAT
 */
public record Token(
        Kind kind, NatProfile profile, String ufrag, String password, boolean birthday, List<Candidate> candidates) {

    /** Bytes of randomness in the username fragment and in the password. */
    static final int UFRAG_BYTES = 3;

    static final int PASSWORD_BYTES = 16;

    /** Which side made the token. */
    public enum Kind {
        /** {@code natcheck punch offer}: the controlling side (RFC 8445 section 6.1.1). */
        OFFER,
        /** {@code natcheck punch answer}: the controlled side. */
        ANSWER;

        /** "offer", "answer". */
        public String text() {
            return this == OFFER ? "offer" : "answer";
        }
    }

    public Token {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(profile, "profile");
        checkCredential("ufrag", ufrag, UFRAG_BYTES);
        checkCredential("password", password, PASSWORD_BYTES);
        candidates = List.copyOf(candidates);
        if (candidates.stream().anyMatch(c -> c.type() == CandidateType.PEER_REFLEXIVE)) {
            throw new IllegalArgumentException("peer-reflexive candidates are learned, never sent");
        }
    }

    /** Fresh random credentials from {@code random} (a SecureRandom in a run). */
    public static Token withFreshCredentials(
            Kind kind, NatProfile profile, boolean birthday, List<Candidate> candidates, RandomGenerator random) {
        return new Token(
                kind,
                profile,
                credential(random, UFRAG_BYTES),
                credential(random, PASSWORD_BYTES),
                birthday,
                candidates);
    }

    /** The same token with only the first {@code count} candidates. */
    public Token withFirstCandidates(int count) {
        return new Token(kind, profile, ufrag, password, birthday, candidates.subList(0, count));
    }

    static String credential(RandomGenerator random, int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return encodeCredential(value);
    }

    static String encodeCredential(byte[] value) {
        return Base64.getEncoder().withoutPadding().encodeToString(value);
    }

    static byte[] decodeCredential(String text) {
        return Base64.getDecoder().decode(text);
    }

    private static void checkCredential(String what, String value, int bytes) {
        Objects.requireNonNull(value, what);
        byte[] raw;
        try {
            raw = decodeCredential(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not base64: " + value, e);
        }
        if (raw.length != bytes || !encodeCredential(raw).equals(value)) {
            throw new IllegalArgumentException(what + " must be " + bytes + " bytes in canonical base64: " + value);
        }
    }

    @Override
    public String toString() {
        // Never the password: tokens end up in logs.
        return kind.text() + " token, ufrag " + ufrag + ", " + profile.describe() + ", " + candidates
                + (birthday ? ", birthday" : "");
    }
}
