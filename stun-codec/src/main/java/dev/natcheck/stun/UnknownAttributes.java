package dev.natcheck.stun;

import java.util.List;

/** UNKNOWN-ATTRIBUTES (RFC 8489 §14.13): the comprehension-required types a 420 answer rejects. */
public record UnknownAttributes(List<Integer> types) implements StunAttribute {

    public UnknownAttributes {
        types = List.copyOf(types);
        for (int t : types) {
            if (t < 0 || t > 0xFFFF) {
                throw new IllegalArgumentException("attribute type must be 0..0xFFFF, got " + t);
            }
        }
    }

    @Override
    public int type() {
        return AttributeType.UNKNOWN_ATTRIBUTES;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("UnknownAttributes[");
        for (int i = 0; i < types.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(AttributeType.name(types.get(i)));
        }
        return s.append(']').toString();
    }
}
