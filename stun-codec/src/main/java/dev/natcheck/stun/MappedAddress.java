package dev.natcheck.stun;

import dev.natcheck.address.AddressText;
import java.net.InetAddress;

/** MAPPED-ADDRESS (RFC 8489 §14.1): the reflexive address, plain, as RFC 3489 servers send it. */
public record MappedAddress(InetAddress address, int port) implements AddressAttribute {

    public MappedAddress {
        AddressAttribute.check(address, port);
    }

    @Override
    public int type() {
        return AttributeType.MAPPED_ADDRESS;
    }

    @Override
    public String toString() {
        return "MappedAddress[" + AddressText.format(address, port) + "]";
    }
}
