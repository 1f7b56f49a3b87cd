package dev.natcheck.stun;

import java.util.Optional;

/**
 * What a 401 (Unauthenticated) or 438 (Stale Nonce) error response asks of a client using
 * long-term credentials (RFC 8489 §9.2.5): the realm and nonce to echo, the password algorithms
 * the server offers, and the security features of its nonce cookie.
 *
 * @param code               401 or 438
 * @param realm              the REALM to echo
 * @param nonce              the NONCE to echo
 * @param passwordAlgorithms the PASSWORD-ALGORITHMS offered, to be echoed unchanged; empty when the
 *                           answer has none (an RFC 5389 server: MD5 and MESSAGE-INTEGRITY)
 */
public record Challenge(int code, String realm, String nonce, Optional<PasswordAlgorithms> passwordAlgorithms) {

    public Challenge {
        if (code != ErrorCode.UNAUTHENTICATED && code != ErrorCode.STALE_NONCE) {
            throw new IllegalArgumentException("a challenge is a 401 or a 438, got " + code);
        }
        if (realm == null || nonce == null || passwordAlgorithms == null) {
            throw new NullPointerException("realm, nonce and passwordAlgorithms are required");
        }
    }

    /**
     * The challenge in {@code response}: an error response with ERROR-CODE 401 or 438, REALM and
     * NONCE. Empty for anything else, including a 401 without REALM or NONCE (which a client
     * cannot answer).
     */
    public static Optional<Challenge> of(MessageView response) {
        if (response.messageClass() != MessageClass.ERROR_RESPONSE) {
            return Optional.empty();
        }
        int code = response.errorCodeValue();
        if (code != ErrorCode.UNAUTHENTICATED && code != ErrorCode.STALE_NONCE) {
            return Optional.empty();
        }
        Optional<Realm> realm = response.realm();
        Optional<Nonce> nonce = response.nonce();
        if (realm.isEmpty() || nonce.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new Challenge(code, realm.get().value(), nonce.get().value(), response.passwordAlgorithms()));
    }

    /** Whether this is a 438: the nonce expired, the credentials were fine. */
    public boolean stale() {
        return code == ErrorCode.STALE_NONCE;
    }

    /** The security features of the nonce cookie, if the nonce has one. */
    public Optional<SecurityFeatures> securityFeatures() {
        return SecurityFeatures.of(nonce);
    }

    /** Whether the request must carry USERHASH instead of USERNAME (§9.2.5). */
    public boolean usernameAnonymity() {
        return securityFeatures().map(SecurityFeatures::usernameAnonymity).orElse(false);
    }

    /**
     * Why RFC 8489 §9.2.5 forbids answering this challenge, or empty when a client may: a nonce
     * cookie announcing password algorithms with no PASSWORD-ALGORITHMS (a bid-down), or a list
     * with no algorithm this codec supports.
     */
    public Optional<String> refusal() {
        boolean announced =
                securityFeatures().map(SecurityFeatures::passwordAlgorithms).orElse(false);
        if (announced && passwordAlgorithms.isEmpty()) {
            return Optional.of("the nonce cookie announces password algorithms but the answer has no"
                    + " PASSWORD-ALGORITHMS (a possible bid-down, RFC 8489 §9.2.5)");
        }
        if (passwordAlgorithms.isPresent()
                && passwordAlgorithms.get().firstSupported().isEmpty()) {
            return Optional.of("PASSWORD-ALGORITHMS offers none of MD5 and SHA-256: "
                    + passwordAlgorithms.get().algorithms());
        }
        return Optional.empty();
    }
}
