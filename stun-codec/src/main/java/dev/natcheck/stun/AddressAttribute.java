package dev.natcheck.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * An attribute holding a transport address: family, port and IP (RFC 8489 §14.1, §14.2; the
 * XOR-obfuscated ones are those {@link AttributeType#isXorAddress} names).
 */
public sealed interface AddressAttribute extends StunAttribute
        permits MappedAddress,
                XorMappedAddress,
                ResponseOrigin,
                OtherAddress,
                AlternateServer,
                SourceAddress,
                ChangedAddress,
                XorPeerAddress,
                XorRelayedAddress {

    /** The IP address (IPv4 or IPv6). */
    InetAddress address();

    /** The port, 0..65535. */
    int port();

    /** Address and port as a socket address. */
    default InetSocketAddress socketAddress() {
        return new InetSocketAddress(address(), port());
    }

    /** Address family of {@link #address()}. */
    default AddressFamily family() {
        return AddressFamily.of(address());
    }

    /** Checks the components every address record shares. */
    static void check(InetAddress address, int port) {
        if (address == null) {
            throw new NullPointerException("address");
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
    }
}
