package dev.natcheck.stun;

import dev.natcheck.address.AddressText;
import java.net.InetAddress;

/** ALTERNATE-SERVER (RFC 8489 §14.15): a different server the client should try (with error 300). */
public record AlternateServer(InetAddress address, int port) implements AddressAttribute {

    public AlternateServer {
        AddressAttribute.check(address, port);
    }

    @Override
    public int type() {
        return AttributeType.ALTERNATE_SERVER;
    }

    @Override
    public String toString() {
        return "AlternateServer[" + AddressText.format(address, port) + "]";
    }
}
