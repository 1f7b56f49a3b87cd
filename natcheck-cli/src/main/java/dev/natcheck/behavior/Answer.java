package dev.natcheck.behavior;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What came back for one transaction: a Binding success response, or, for the hairpin test, our
 * own request arriving back at one of our sockets.
 *
 * @param source where the datagram came from
 * @param receivedOn the local socket address it arrived on
 * @param xorMapped XOR-MAPPED-ADDRESS (empty for the hairpin test's echoed request)
 * @param plainMapped MAPPED-ADDRESS, which a generic ALG may have rewritten
 * @param other OTHER-ADDRESS (or RFC 3489 CHANGED-ADDRESS)
 * @param responseOrigin RESPONSE-ORIGIN, where the server says it sent from
 * @param sinceFirstSend time from the transaction's first send to this answer: an upper bound of the round trip
 * @param transmissions how many sends it took
 */
public record Answer(
        InetSocketAddress source,
        InetSocketAddress receivedOn,
        Optional<InetSocketAddress> xorMapped,
        Optional<InetSocketAddress> plainMapped,
        Optional<InetSocketAddress> other,
        Optional<InetSocketAddress> responseOrigin,
        Duration sinceFirstSend,
        int transmissions) {

    public Answer {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(receivedOn, "receivedOn");
        Objects.requireNonNull(xorMapped, "xorMapped");
        Objects.requireNonNull(plainMapped, "plainMapped");
        Objects.requireNonNull(other, "other");
        Objects.requireNonNull(responseOrigin, "responseOrigin");
        Objects.requireNonNull(sinceFirstSend, "sinceFirstSend");
    }

    /** The address the server saw: XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS (an RFC 3489 server). */
    public Optional<InetSocketAddress> mapped() {
        return xorMapped.or(() -> plainMapped);
    }

    /** A plain Binding success answer, for tests and tools. */
    public static Answer binding(
            InetSocketAddress source,
            InetSocketAddress receivedOn,
            InetSocketAddress mapped,
            Optional<InetSocketAddress> other) {
        return new Answer(
                source,
                receivedOn,
                Optional.of(mapped),
                Optional.of(mapped),
                other,
                Optional.of(source),
                Duration.ofMillis(1),
                1);
    }
}
