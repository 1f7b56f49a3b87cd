package dev.natcheck.stun;

import dev.natcheck.address.AddressText;
import java.net.InetAddress;

/** XOR-MAPPED-ADDRESS (RFC 8489 §14.2): the reflexive address, XOR-obfuscated on the wire so NATs that rewrite addresses in payloads leave it alone. */
public record XorMappedAddress(InetAddress address, int port) implements AddressAttribute {

    public XorMappedAddress {
        AddressAttribute.check(address, port);
    }

    @Override
    public int type() {
        return AttributeType.XOR_MAPPED_ADDRESS;
    }

    @Override
    public String toString() {
        return "XorMappedAddress[" + AddressText.format(address, port) + "]";
    }
}
