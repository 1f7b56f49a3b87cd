package dev.natcheck.stun;

import dev.natcheck.address.AddressText;
import java.net.InetAddress;

/**
 * XOR-PEER-ADDRESS (RFC 8656 §18.3): a peer's address as the TURN server sees it, in Send and Data
 * indications, CreatePermission and ChannelBind; encoded as XOR-MAPPED-ADDRESS is.
 */
public record XorPeerAddress(InetAddress address, int port) implements AddressAttribute {

    public XorPeerAddress {
        AddressAttribute.check(address, port);
    }

    @Override
    public int type() {
        return AttributeType.XOR_PEER_ADDRESS;
    }

    @Override
    public String toString() {
        return "XorPeerAddress[" + AddressText.format(address, port) + "]";
    }
}
