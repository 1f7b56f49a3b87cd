package dev.natcheck.transaction;

import java.net.InetSocketAddress;

/**
 * A datagram that answers none of our transactions, for the caller that asked for them with
 * {@link Endpoint#onUnsolicited}: a peer's request, an indication, something not STUN at all.
 *
 * @param bytes the datagram, a copy the receiver may keep
 */
public record Datagram(Endpoint endpoint, InetSocketAddress source, byte[] bytes) {}
