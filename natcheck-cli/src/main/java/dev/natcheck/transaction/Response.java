package dev.natcheck.transaction;

import dev.natcheck.stun.AddressAttribute;
import dev.natcheck.stun.ChangedAddress;
import dev.natcheck.stun.MappedAddress;
import dev.natcheck.stun.OtherAddress;
import dev.natcheck.stun.StunAttribute;
import dev.natcheck.stun.StunMessage;
import dev.natcheck.stun.XorMappedAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * An answer that passed every check of the engine: a success or error response, or for a
 * transaction that waits for its own request to come back (the hairpin test) that request.
 *
 * @param source where the datagram came from
 * @param receivedOn the local socket address it arrived on
 * @param message the whole message, attributes in wire order
 * @param sinceFirstSend time from the transaction's first send to this answer: an upper bound of the round trip
 * @param transmissions how many sends it took
 */
public record Response(
        InetSocketAddress source,
        InetSocketAddress receivedOn,
        StunMessage message,
        Duration sinceFirstSend,
        int transmissions) {

    /** XOR-MAPPED-ADDRESS. */
    public Optional<InetSocketAddress> xorMapped() {
        return address(XorMappedAddress.class);
    }

    /** MAPPED-ADDRESS, which a generic ALG may have rewritten. */
    public Optional<InetSocketAddress> plainMapped() {
        return address(MappedAddress.class);
    }

    /** The address the server saw: XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS (an RFC 3489 server). */
    public Optional<InetSocketAddress> mapped() {
        Optional<InetSocketAddress> xor = xorMapped();
        return xor.isPresent() ? xor : plainMapped();
    }

    /** OTHER-ADDRESS, else the RFC 3489 CHANGED-ADDRESS. */
    public Optional<InetSocketAddress> other() {
        Optional<InetSocketAddress> other = address(OtherAddress.class);
        return other.isPresent() ? other : address(ChangedAddress.class);
    }

    // A loop, not an Optional chain: this runs in every probe's first milliseconds, where each
    // lambda is one more class to spin up.
    private Optional<InetSocketAddress> address(Class<? extends AddressAttribute> kind) {
        for (StunAttribute attribute : message.attributes()) {
            if (kind.isInstance(attribute)) {
                return Optional.of(((AddressAttribute) attribute).socketAddress());
            }
        }
        return Optional.empty();
    }
}
