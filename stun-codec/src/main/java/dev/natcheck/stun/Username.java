package dev.natcheck.stun;

/** USERNAME (RFC 8489 §14.3): the user name for MESSAGE-INTEGRITY, UTF-8 on the wire. */
public record Username(String value) implements StunAttribute {

    public Username {
        if (value == null) {
            throw new NullPointerException("value");
        }
    }

    @Override
    public int type() {
        return AttributeType.USERNAME;
    }
}
