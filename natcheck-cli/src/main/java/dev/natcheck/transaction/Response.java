package dev.natcheck.transaction;

import dev.natcheck.stun.AddressAttribute;
import dev.natcheck.stun.ChangedAddress;
import dev.natcheck.stun.MappedAddress;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.OtherAddress;
import dev.natcheck.stun.ResponseOrigin;
import dev.natcheck.stun.StunAttribute;
import dev.natcheck.stun.StunMessage;
import dev.natcheck.stun.TransactionId;
import dev.natcheck.stun.XorMappedAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An answer that passed every check of the engine: usually a success or error response; for a
 * transaction that waits for its own request to come back (the hairpin test), that request. Made
 * by the engine (and, for verdict tables, {@link #binding}), never with a null component.
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

    /** RESPONSE-ORIGIN, where the server says it sent from. */
    public Optional<InetSocketAddress> responseOrigin() {
        return address(ResponseOrigin.class);
    }

    // Loops, not Optional chains: this runs in every probe's first milliseconds, where each
    // lambda is a class to spin up.
    private Optional<InetSocketAddress> address(Class<? extends AddressAttribute> kind) {
        for (StunAttribute attribute : message.attributes()) {
            if (kind.isInstance(attribute)) {
                return Optional.of(((AddressAttribute) attribute).socketAddress());
            }
        }
        return Optional.empty();
    }

    /**
     * A Binding success response as natcheck's server gives it (XOR-MAPPED-ADDRESS and
     * MAPPED-ADDRESS both {@code mapped}, OTHER-ADDRESS if given, RESPONSE-ORIGIN the source), for
     * verdict tables and tools.
     */
    public static Response binding(
            InetSocketAddress source,
            InetSocketAddress receivedOn,
            InetSocketAddress mapped,
            Optional<InetSocketAddress> other) {
        return binding(source, receivedOn, Optional.of(mapped), Optional.of(mapped), other);
    }

    /** A Binding success response with exactly the address attributes given, for verdict tables. */
    public static Response binding(
            InetSocketAddress source,
            InetSocketAddress receivedOn,
            Optional<InetSocketAddress> xorMapped,
            Optional<InetSocketAddress> plainMapped,
            Optional<InetSocketAddress> other) {
        List<StunAttribute> attributes = new ArrayList<>();
        xorMapped.ifPresent(m -> attributes.add(new XorMappedAddress(m.getAddress(), m.getPort())));
        plainMapped.ifPresent(m -> attributes.add(new MappedAddress(m.getAddress(), m.getPort())));
        other.ifPresent(o -> attributes.add(new OtherAddress(o.getAddress(), o.getPort())));
        attributes.add(new ResponseOrigin(source.getAddress(), source.getPort()));
        StunMessage message =
                new StunMessage(MessageClass.SUCCESS_RESPONSE, Method.BINDING, TransactionId.random(), attributes);
        return new Response(source, receivedOn, message, Duration.ofMillis(1), 1);
    }
}
