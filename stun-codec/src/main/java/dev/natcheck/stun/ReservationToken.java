package dev.natcheck.stun;

/**
 * RESERVATION-TOKEN (RFC 8656 §18.10): eight opaque bytes naming a relayed port the server kept
 * back after an EVEN-PORT with R set, for a later Allocate to claim.
 */
public record ReservationToken(long token) implements StunAttribute {

    @Override
    public int type() {
        return AttributeType.RESERVATION_TOKEN;
    }

    @Override
    public String toString() {
        return String.format("ReservationToken[%016x]", token);
    }
}
