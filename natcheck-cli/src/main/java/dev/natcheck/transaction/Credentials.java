package dev.natcheck.transaction;

import dev.natcheck.stun.LongTermCredentials;
import dev.natcheck.stun.MessageIntegrity;
import dev.natcheck.stun.MessageIntegritySha256;
import java.util.Optional;

/**
 * What a request signs itself with (RFC 8489 section 9): USERNAME, and MESSAGE-INTEGRITY under
 * {@code key}; an answer then counts only if its own integrity checks out under the same key.
 * Short-term credentials (section 9.1) are a name and a key; long-term ones (section 9.2) are the
 * codec's {@link LongTermCredentials}, which answer a server's challenge: USERNAME or USERHASH,
 * NONCE, REALM, the password algorithms, MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256.
 */
public record Credentials(String username, byte[] key, Optional<LongTermCredentials> longTerm) {

    /** Short-term credentials of {@code username} under {@code key}. */
    public Credentials(String username, byte[] key) {
        this(username, key, Optional.empty());
    }

    /** Short-term credentials (RFC 8489 section 9.1), as ICE connectivity checks use them. */
    public static Credentials shortTerm(String username, String password) {
        return new Credentials(username, MessageIntegrity.shortTermKey(password));
    }

    /** Long-term credentials (RFC 8489 section 9.2) that answer a server's 401 or 438, as a TURN client signs with. */
    public static Credentials longTerm(LongTermCredentials credentials) {
        return new Credentials(credentials.username(), credentials.key(), Optional.of(credentials));
    }

    /** Bytes the integrity attribute takes in a signed request, its header included. */
    int integritySize() {
        return longTerm.isPresent() && longTerm.get().sha256()
                ? 4 + MessageIntegritySha256.LENGTH
                : MessageIntegrity.ATTRIBUTE_SIZE;
    }

    @Override
    public String toString() {
        return "credentials of " + username; // never the key
    }
}
