package dev.natcheck.stun;

import java.util.Optional;

/**
 * NONCE (RFC 8489 §14.10): the server's replay-protection cookie, copied by the client into
 * every authenticated request until a 438 brings a new one. A server that implements RFC 8489
 * starts it with the "nonce cookie" carrying its {@link SecurityFeatures} (§9.2).
 */
public record Nonce(String value) implements StunAttribute {

    public Nonce {
        if (value == null) {
            throw new NullPointerException("value");
        }
    }

    /** The security features of the nonce cookie, if the nonce starts with one. */
    public Optional<SecurityFeatures> securityFeatures() {
        return SecurityFeatures.of(value);
    }

    @Override
    public int type() {
        return AttributeType.NONCE;
    }
}
