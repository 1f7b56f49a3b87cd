package dev.natcheck.transaction;

import dev.natcheck.address.AddressText;
import dev.natcheck.stun.AttributeType;
import dev.natcheck.stun.StunAttribute;
import dev.natcheck.stun.TransactionId;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One STUN client transaction: a {@link Request} from an {@link Endpoint} to a destination,
 * retransmitted on its {@link Schedule} until an answer its {@link Accept} rule allows settles it.
 * States: WAITING (for its start slot), RUNNING (sent at least once), SETTLED (with an
 * {@link Outcome}). Mutable; owned by the thread that runs its {@link Transactions}.
 */
public final class Transaction {

    /** Which answers count. */
    public enum Accept {
        /** A response from the destination, on the socket the request went out on: the usual case. */
        FROM_DESTINATION,
        /** A response from anywhere, on the request's socket: CHANGE-REQUEST asks for that (RFC 5780 section 7.2). */
        FROM_ANY_SOURCE,
        /** A response from the destination, on any of our sockets: RESPONSE-PORT asks for that (RFC 5780 section 7.5). */
        ON_ANY_SOCKET,
        /** The request itself, arriving back on any of our sockets from anywhere: the hairpin test (RFC 5780 section 4.5). */
        OWN_REQUEST
    }

    enum State {
        WAITING,
        RUNNING,
        SETTLED
    }

    private final String name;
    private final Endpoint endpoint;
    private final InetSocketAddress destination;
    final Schedule schedule;
    private final Accept accept;
    private Optional<Transaction> previous = Optional.empty();
    private Request request;
    /** Whether the NAT creates a binding for it; see {@link Pacer#reserve(long, boolean)}. */
    boolean newBinding = true;

    TransactionId id;
    byte[] datagram;
    long startAt;
    long firstSent = -1;
    int transmissions;
    State state = State.WAITING;
    private Outcome outcome;

    public Transaction(
            String name,
            Endpoint endpoint,
            InetSocketAddress destination,
            Request request,
            Schedule schedule,
            Accept accept) {
        this.name = Objects.requireNonNull(name, "name");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.destination = Objects.requireNonNull(destination, "destination");
        this.request = Objects.requireNonNull(request, "request");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.accept = Objects.requireNonNull(accept, "accept");
    }

    /**
     * A transaction whose answers count as {@code request} asks: from anywhere with
     * CHANGE-REQUEST, on any socket with RESPONSE-PORT, otherwise from the destination only.
     */
    public static Transaction of(
            String name, Endpoint endpoint, InetSocketAddress destination, Request request, Schedule schedule) {
        Accept accept = Accept.FROM_DESTINATION;
        for (StunAttribute attribute : request.attributes()) {
            if (attribute.type() == AttributeType.CHANGE_REQUEST) {
                accept = Accept.FROM_ANY_SOURCE;
            } else if (attribute.type() == AttributeType.RESPONSE_PORT) {
                accept = Accept.ON_ANY_SOCKET;
            }
        }
        return new Transaction(name, endpoint, destination, request, schedule, accept);
    }

    /** A plain Binding Request, padded. */
    public static Transaction binding(
            String name, Endpoint endpoint, InetSocketAddress destination, Schedule schedule) {
        return of(name, endpoint, destination, Request.binding(), schedule);
    }

    /** Another round of the same request from the same socket to the same destination, under a new id. */
    public Transaction again(Schedule next) {
        Transaction round = new Transaction(name, endpoint, destination, request, next, accept);
        round.previous = Optional.of(this);
        return round.reusingBinding();
    }

    /** Marks it as creating no NAT binding (the socket sent to this destination before): no pacing gap. */
    public Transaction reusingBinding() {
        newBinding = false;
        return this;
    }

    void dropPadding() {
        request = request.withoutPadding();
    }

    void settle(Outcome how) {
        outcome = how;
        state = State.SETTLED;
    }

    public String name() {
        return name;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public InetSocketAddress destination() {
        return destination;
    }

    /** The request as sent now: without PADDING after a 420 that named it. */
    public Request request() {
        return request;
    }

    public Accept accept() {
        return accept;
    }

    /** The earlier round this one repeats, if any. */
    public Optional<Transaction> previous() {
        return previous;
    }

    /** When the first datagram went out on the engine's clock; -1 before. */
    public long firstSent() {
        return firstSent;
    }

    public int transmissions() {
        return transmissions;
    }

    public boolean settled() {
        return state == State.SETTLED;
    }

    /** How it ended; null while it runs. */
    public Outcome outcome() {
        return outcome;
    }

    /** The outcome, an unanswered one counting the sends of every round; empty while it runs. */
    public Optional<Outcome> combinedOutcome() {
        if (outcome instanceof Outcome.Unanswered u && previous.isPresent()) {
            int sends = transmissions;
            for (Transaction round = previous.get(); round != null; round = round.previous.orElse(null)) {
                sends += round.transmissions;
            }
            return Optional.of(new Outcome.Unanswered(sends, u.complete()));
        }
        return Optional.ofNullable(outcome);
    }

    /** The answer, once answered. */
    public Optional<Response> answer() {
        return outcome == null ? Optional.empty() : outcome.answer();
    }

    /** "filtering test II (to 203.0.113.10:3478 from 192.168.1.2:50000)". */
    public String label() {
        return name + " (to " + AddressText.format(destination) + " from " + AddressText.format(endpoint.local()) + ")";
    }
}
