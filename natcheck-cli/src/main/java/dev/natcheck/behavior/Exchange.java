package dev.natcheck.behavior;

import dev.natcheck.classify.AddressText;
import dev.natcheck.stun.TransactionId;
import dev.natcheck.transaction.Pacer;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One STUN transaction of a behaviour test, with its retransmission state. Mutable; owned by the
 * {@link TransactionLoop} thread.
 */
final class Exchange {

    /** What the transaction sends. */
    enum Kind {
        /** A Binding Request to a STUN server; the answer is a Binding response. */
        BINDING,
        /** A Binding Request to our own mapped address; the "answer" is that request arriving back. */
        HAIRPIN
    }

    enum State {
        WAITING,
        RUNNING,
        SETTLED
    }

    final String name;
    final Kind kind;
    final Port port;
    final InetSocketAddress destination;
    final int changeFlags;
    final int responsePort;
    /** CHANGE-REQUEST answers legitimately come from elsewhere; everything else only from the destination. */
    final boolean anySource;

    final Schedule schedule;

    /** Whether this transaction makes the NAT create a binding (see {@link Pacer#reserve(long, boolean)}). */
    boolean newBinding = true;
    /** The earlier round this one repeats, or null for a first round. */
    Exchange retryOf;

    boolean padded;
    TransactionId id;
    long startAt;
    long firstSent = -1;
    long lastSent;
    int transmissions;
    State state = State.WAITING;
    Outcome outcome;

    Exchange(
            String name,
            Kind kind,
            Port port,
            InetSocketAddress destination,
            int changeFlags,
            int responsePort,
            Schedule schedule) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.port = Objects.requireNonNull(port, "port");
        this.destination = Objects.requireNonNull(destination, "destination");
        this.changeFlags = changeFlags;
        this.responsePort = responsePort;
        this.anySource = changeFlags != 0;
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        // PADDING lets a server that never answers with more than it received (natcheck's own)
        // answer; RFC 5780 section 7.6 forbids it next to RESPONSE-PORT, and our own request
        // looping back (hairpin) needs no room for an answer.
        this.padded = kind == Kind.BINDING && responsePort < 0;
    }

    static Exchange binding(String name, Port port, InetSocketAddress destination, Schedule schedule) {
        return new Exchange(name, Kind.BINDING, port, destination, 0, -1, schedule);
    }

    static Exchange changeRequest(String name, Port port, InetSocketAddress destination, int flags, Schedule schedule) {
        return new Exchange(name, Kind.BINDING, port, destination, flags, -1, schedule);
    }

    static Exchange hairpin(String name, Port port, InetSocketAddress destination, Schedule schedule) {
        return new Exchange(name, Kind.HAIRPIN, port, destination, 0, -1, schedule);
    }

    static Exchange responsePort(
            String name, Port port, InetSocketAddress destination, int responsePort, Schedule schedule) {
        return new Exchange(name, Kind.BINDING, port, destination, 0, responsePort, schedule);
    }

    /** A second round of the same test: same socket, destination and request, a new transaction. */
    Exchange retry(Schedule next) {
        Exchange again = new Exchange(name, kind, port, destination, changeFlags, responsePort, next);
        again.retryOf = this;
        again.newBinding = false;
        again.padded = padded;
        return again;
    }

    /** Sends of this and every earlier round. */
    int totalTransmissions() {
        return transmissions + (retryOf == null ? 0 : retryOf.totalTransmissions());
    }

    /** The outcome, with an unanswered one counting the sends of every round. */
    Outcome combinedOutcome() {
        if (outcome instanceof Outcome.Unanswered u && retryOf != null) {
            return new Outcome.Unanswered(totalTransmissions(), u.complete());
        }
        return outcome;
    }

    boolean settled() {
        return state == State.SETTLED;
    }

    Optional<Answer> answer() {
        return outcome == null ? Optional.empty() : outcome.answer();
    }

    /** "filtering test II (to 203.0.113.10:3478 from 192.168.1.2:50000)". */
    String label() {
        return name + " (to " + AddressText.format(destination) + " from " + AddressText.format(port.local) + ")";
    }

    @Override
    public String toString() {
        return label() + " " + state + (outcome == null ? "" : " " + outcome);
    }
}
