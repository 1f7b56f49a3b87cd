package dev.natcheck.stun;

import dev.natcheck.address.AddressText;
import java.net.InetAddress;

/**
 * XOR-RELAYED-ADDRESS (RFC 8656 §18.5): the relayed transport address the TURN server allocated,
 * in an Allocate success response; encoded as XOR-MAPPED-ADDRESS is.
 */
public record XorRelayedAddress(InetAddress address, int port) implements AddressAttribute {

    public XorRelayedAddress {
        AddressAttribute.check(address, port);
    }

    @Override
    public int type() {
        return AttributeType.XOR_RELAYED_ADDRESS;
    }

    @Override
    public String toString() {
        return "XorRelayedAddress[" + AddressText.format(address, port) + "]";
    }
}
