package dev.natcheck.stun;

import dev.natcheck.address.AddressText;
import java.net.InetAddress;

/** OTHER-ADDRESS (RFC 5780 §7.4): the server's alternate IP and port, used for CHANGE-REQUEST. */
public record OtherAddress(InetAddress address, int port) implements AddressAttribute {

    public OtherAddress {
        AddressAttribute.check(address, port);
    }

    @Override
    public int type() {
        return AttributeType.OTHER_ADDRESS;
    }

    @Override
    public String toString() {
        return "OtherAddress[" + AddressText.format(address, port) + "]";
    }
}
