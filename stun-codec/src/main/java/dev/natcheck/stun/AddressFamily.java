package dev.natcheck.stun;

import java.net.Inet4Address;
import java.net.InetAddress;

/** The address family byte of the address attributes (RFC 8489 §14.1). */
public enum AddressFamily {
    IPV4(0x01, 4),
    IPV6(0x02, 16);

    private final int code;
    private final int addressLength;

    AddressFamily(int code, int addressLength) {
        this.code = code;
        this.addressLength = addressLength;
    }

    /** The family byte on the wire. */
    public int code() {
        return code;
    }

    /** Bytes in an address of this family. */
    public int addressLength() {
        return addressLength;
    }

    /** Attribute value length: reserved byte, family byte, port, address. */
    public int attributeLength() {
        return 4 + addressLength;
    }

    /** The family of {@code address}. */
    public static AddressFamily of(InetAddress address) {
        return address instanceof Inet4Address ? IPV4 : IPV6;
    }

    /** The family with wire code {@code code}, or null if none. */
    public static AddressFamily ofCode(int code) {
        return switch (code) {
            case 0x01 -> IPV4;
            case 0x02 -> IPV6;
            default -> null;
        };
    }
}
