package dev.natcheck.stun;

/**
 * REALM (RFC 8489 §14.9): the realm a server's 401 names and a long-term-credential request
 * echoes; its presence in a request says long-term credentials are in use. UTF-8 on the wire,
 * already prepared with OpaqueString by the server.
 */
public record Realm(String value) implements StunAttribute {

    public Realm {
        if (value == null) {
            throw new NullPointerException("value");
        }
    }

    @Override
    public int type() {
        return AttributeType.REALM;
    }
}
