package dev.natcheck.stun;

import dev.natcheck.address.AddressText;
import java.net.InetAddress;

/** SOURCE-ADDRESS (RFC 3489 §11.2.5): where an RFC 3489 server sent the response from; read for legacy servers. */
public record SourceAddress(InetAddress address, int port) implements AddressAttribute {

    public SourceAddress {
        AddressAttribute.check(address, port);
    }

    @Override
    public int type() {
        return AttributeType.SOURCE_ADDRESS;
    }

    @Override
    public String toString() {
        return "SourceAddress[" + AddressText.format(address, port) + "]";
    }
}
