package dev.natcheck.stun;

import dev.natcheck.address.AddressText;
import java.net.InetAddress;

/** CHANGED-ADDRESS (RFC 3489 §11.2.3): an RFC 3489 server's alternate IP and port; read for legacy servers. */
public record ChangedAddress(InetAddress address, int port) implements AddressAttribute {

    public ChangedAddress {
        AddressAttribute.check(address, port);
    }

    @Override
    public int type() {
        return AttributeType.CHANGED_ADDRESS;
    }

    @Override
    public String toString() {
        return "ChangedAddress[" + AddressText.format(address, port) + "]";
    }
}
