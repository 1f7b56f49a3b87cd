package dev.natcheck.transaction;

import dev.natcheck.stun.MessageIntegrity;

/**
 * What a request signs itself with (RFC 8489 section 9): USERNAME, and MESSAGE-INTEGRITY under
 * {@code key}; an answer then counts only if its own MESSAGE-INTEGRITY checks out under the same
 * key. The key is the short-term password, or for long-term credentials
 * {@link MessageIntegrity#longTermKey}, whose REALM and NONCE the caller adds as attributes.
 */
public record Credentials(String username, byte[] key) {

    /** Short-term credentials (RFC 8489 section 9.1), as ICE connectivity checks use them. */
    public static Credentials shortTerm(String username, String password) {
        return new Credentials(username, MessageIntegrity.shortTermKey(password));
    }
}
