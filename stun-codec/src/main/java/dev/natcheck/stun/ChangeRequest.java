package dev.natcheck.stun;

/**
 * CHANGE-REQUEST (RFC 5780 §7.2): asks the server to answer from its other IP and/or other port.
 * A 32-bit flag word: bit 0x4 "change IP", bit 0x2 "change port".
 */
public record ChangeRequest(boolean changeIp, boolean changePort) implements StunAttribute {

    /** The "change IP" flag bit (A). */
    public static final int CHANGE_IP = 0x4;
    /** The "change port" flag bit (B). */
    public static final int CHANGE_PORT = 0x2;

    /** The record for a flag word; bits other than A and B are ignored, as the RFC says. */
    public static ChangeRequest ofFlags(int flags) {
        return new ChangeRequest((flags & CHANGE_IP) != 0, (flags & CHANGE_PORT) != 0);
    }

    /** The flag word as sent. */
    public int flags() {
        return (changeIp ? CHANGE_IP : 0) | (changePort ? CHANGE_PORT : 0);
    }

    @Override
    public int type() {
        return AttributeType.CHANGE_REQUEST;
    }
}
