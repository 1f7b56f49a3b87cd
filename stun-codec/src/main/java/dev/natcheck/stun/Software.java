package dev.natcheck.stun;

/** SOFTWARE (RFC 8489 §14.14): a description of the sending agent, UTF-8 on the wire. */
public record Software(String value) implements StunAttribute {

    public Software {
        if (value == null) {
            throw new NullPointerException("value");
        }
    }

    @Override
    public int type() {
        return AttributeType.SOFTWARE;
    }
}
