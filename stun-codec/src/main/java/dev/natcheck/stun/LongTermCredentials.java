package dev.natcheck.stun;

import java.util.Optional;

/**
 * A client's long-term credentials for one server (RFC 8489 §9.2), made from the server's
 * {@link Challenge} and the user's name and password: what every authenticated request carries
 * and the key that seals it. Immutable; a 438 gives a copy with the new nonce.
 *
 * <p>{@link MessageEncoder#addCredentials} writes USERNAME (or USERHASH when the nonce cookie asks
 * for username anonymity), NONCE and REALM, and when the server offered PASSWORD-ALGORITHMS, that
 * list unchanged and PASSWORD-ALGORITHM naming the first algorithm supported (both on every
 * request, as the server's check in §9.2.4 wants). {@link MessageEncoder#addMessageIntegrity(
 * LongTermCredentials)} then seals the request: MESSAGE-INTEGRITY-SHA256 when PASSWORD-ALGORITHMS
 * was offered (§9.2.5: "all the subsequent requests MUST be authenticated using
 * MESSAGE-INTEGRITY-SHA256 only"), MESSAGE-INTEGRITY otherwise (an RFC 5389 server, e.g. coturn).
 *
 * <p>Username, realm and password are prepared with {@link OpaqueString} before hashing.
 */
public final class LongTermCredentials {

    private final String username;
    private final String realm;
    private final String nonce;
    private final Optional<PasswordAlgorithms> offered;
    private final PasswordAlgorithm algorithm;
    private final byte[] userhash;
    private final byte[] key;

    private LongTermCredentials(
            String username,
            String realm,
            String nonce,
            Optional<PasswordAlgorithms> offered,
            PasswordAlgorithm algorithm,
            byte[] userhash,
            byte[] key) {
        this.username = username;
        this.realm = realm;
        this.nonce = nonce;
        this.offered = offered;
        this.algorithm = algorithm;
        this.userhash = userhash;
        this.key = key;
    }

    /**
     * The credentials that answer {@code challenge} for {@code username} and {@code password}.
     *
     * @throws IllegalArgumentException when RFC 8489 §9.2.5 forbids answering (see
     *     {@link Challenge#refusal()}), or OpaqueString refuses the username, realm or password
     */
    public static LongTermCredentials answer(Challenge challenge, String username, String password) {
        challenge.refusal().ifPresent(why -> {
            throw new IllegalArgumentException("cannot answer the " + challenge.code() + ": " + why);
        });
        String user = OpaqueString.prepare(username);
        String preparedRealm = OpaqueString.prepare(challenge.realm());
        PasswordAlgorithm algorithm = challenge
                .passwordAlgorithms()
                .flatMap(PasswordAlgorithms::firstSupported)
                .orElse(null);
        int digest = algorithm == null ? PasswordAlgorithm.MD5 : algorithm.algorithm();
        byte[] key = PasswordAlgorithm.key(digest, user, preparedRealm, OpaqueString.prepare(password));
        byte[] userhash = challenge.usernameAnonymity() ? Userhash.digest(user, preparedRealm) : null;
        return new LongTermCredentials(
                user, challenge.realm(), challenge.nonce(), challenge.passwordAlgorithms(), algorithm, userhash, key);
    }

    /**
     * These credentials with the nonce of a 438 (Stale Nonce), same key (§9.2.5).
     *
     * @throws IllegalArgumentException if {@code stale} is not a 438, or names another realm
     *     (which would need the password again: answer it as a 401)
     */
    public LongTermCredentials withNonce(Challenge stale) {
        if (!stale.stale()) {
            throw new IllegalArgumentException("a new nonce comes with a 438, got a " + stale.code());
        }
        if (!stale.realm().equals(realm)) {
            throw new IllegalArgumentException(
                    "the 438 changes the realm from \"" + realm + "\" to \"" + stale.realm() + "\"");
        }
        return new LongTermCredentials(username, realm, stale.nonce(), offered, algorithm, userhash, key);
    }

    /** The username, OpaqueString-prepared, as USERNAME carries it. */
    public String username() {
        return username;
    }

    /** The realm, as the server sent it and REALM echoes it. */
    public String realm() {
        return realm;
    }

    /** The nonce to echo. */
    public String nonce() {
        return nonce;
    }

    /** The PASSWORD-ALGORITHMS the server offered, echoed on every request. */
    public Optional<PasswordAlgorithms> passwordAlgorithms() {
        return offered;
    }

    /** The algorithm chosen from {@link #passwordAlgorithms()}; empty for classic MD5 without the attributes. */
    public Optional<PasswordAlgorithm> passwordAlgorithm() {
        return Optional.ofNullable(algorithm);
    }

    /** Whether requests carry USERHASH instead of USERNAME. */
    public boolean anonymous() {
        return userhash != null;
    }

    /** Whether requests are sealed with MESSAGE-INTEGRITY-SHA256 rather than MESSAGE-INTEGRITY. */
    public boolean sha256() {
        return offered.isPresent();
    }

    /** A copy of the HMAC key (16 bytes for MD5, 32 for SHA-256). */
    public byte[] key() {
        return key.clone();
    }

    // The encoder keys its Mac by array identity: these give it the same arrays every time.
    byte[] keyArray() {
        return key;
    }

    byte[] userhashArray() {
        return userhash;
    }

    PasswordAlgorithm algorithmOrNull() {
        return algorithm;
    }

    /**
     * Whether {@code response} is authenticated with these credentials (§9.2.5): its
     * MESSAGE-INTEGRITY-SHA256, or for an RFC 5389 server its MESSAGE-INTEGRITY, verifies under
     * the key. A response with neither is not authenticated.
     */
    public boolean verify(MessageView response) {
        if (sha256()) {
            return response.verifyMessageIntegritySha256(key);
        }
        return response.hasMessageIntegritySha256()
                ? response.verifyMessageIntegritySha256(key)
                : response.verifyMessageIntegrity(key);
    }

    /** Names only the public parts: never the key. */
    @Override
    public String toString() {
        return "LongTermCredentials[username=" + username + ", realm=" + realm + ", algorithm="
                + (algorithm == null ? "MD5 (classic)" : algorithm) + (anonymous() ? ", USERHASH" : "") + "]";
    }
}
