package dev.natcheck.stun;

import dev.natcheck.address.AddressText;
import java.net.InetAddress;

/** RESPONSE-ORIGIN (RFC 5780 §7.3): the address and port the response was sent from. */
public record ResponseOrigin(InetAddress address, int port) implements AddressAttribute {

    public ResponseOrigin {
        AddressAttribute.check(address, port);
    }

    @Override
    public int type() {
        return AttributeType.RESPONSE_ORIGIN;
    }

    @Override
    public String toString() {
        return "ResponseOrigin[" + AddressText.format(address, port) + "]";
    }
}
