package dev.natcheck.transaction;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A datagram that answers none of our transactions, handed to the caller that registered for
 * them on its endpoint (see {@link Endpoint#onUnsolicited}): a peer's request, an indication,
 * something that is not STUN at all.
 *
 * @param bytes the datagram, a copy the receiver may keep
 */
public record Datagram(Endpoint endpoint, InetSocketAddress source, byte[] bytes) {

    public Datagram {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(bytes, "bytes");
    }
}
