package dev.natcheck.transaction;

import dev.natcheck.address.AddressText;
import dev.natcheck.stun.AttributeType;
import dev.natcheck.stun.TransactionId;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One STUN client transaction: a {@link Request} from an {@link Endpoint} to a destination,
 * retransmitted on its {@link Schedule} until an answer that {@link Accept} allows settles it.
 * Mutable; owned by the thread that runs its {@link Transactions}.
 *
 * <p>State: WAITING (for its start slot), RUNNING (sent at least once), SETTLED (with an
 * {@link Outcome}). A transaction may repeat an earlier one ({@link #again}): same socket,
 * destination and request, a new transaction id.
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
    private final Schedule schedule;
    private final Accept accept;
    private final Optional<Transaction> previous;
    private Request request;
    private boolean newBinding = true;

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
        this(name, endpoint, destination, request, schedule, accept, Optional.empty());
    }

    private Transaction(
            String name,
            Endpoint endpoint,
            InetSocketAddress destination,
            Request request,
            Schedule schedule,
            Accept accept,
            Optional<Transaction> previous) {
        this.name = Objects.requireNonNull(name, "name");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.destination = Objects.requireNonNull(destination, "destination");
        this.request = Objects.requireNonNull(request, "request");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.accept = Objects.requireNonNull(accept, "accept");
        this.previous = previous;
    }

    /**
     * A transaction for {@code request} whose answers count as the request asks: from anywhere
     * with CHANGE-REQUEST, on any socket with RESPONSE-PORT, otherwise only from the destination
     * to the socket asked from.
     */
    public static Transaction of(
            String name, Endpoint endpoint, InetSocketAddress destination, Request request, Schedule schedule) {
        Accept accept = Accept.FROM_DESTINATION;
        for (var attribute : request.attributes()) {
            if (attribute.type() == AttributeType.CHANGE_REQUEST) {
                accept = Accept.FROM_ANY_SOURCE;
            } else if (attribute.type() == AttributeType.RESPONSE_PORT) {
                accept = Accept.ON_ANY_SOCKET;
            }
        }
        return new Transaction(name, endpoint, destination, request, schedule, accept);
    }

    /** Another round of the same request (same socket and destination) on {@code next}, under a new id. */
    public Transaction again(Schedule next) {
        Transaction round = new Transaction(name, endpoint, destination, request, next, accept, Optional.of(this));
        round.newBinding = false;
        return round;
    }

    /**
     * Marks this transaction as one that makes no NAT create a binding (a socket sending again to
     * a destination it already sent to), so the pacer lets it start without the gap that
     * protects binding creation (see {@link Pacer#reserve(long, boolean)}).
     */
    public Transaction reusingBinding() {
        newBinding = false;
        return this;
    }

    boolean newBinding() {
        return newBinding;
    }

    /** The request as sent now: without PADDING after a 420 that named it. */
    public Request request() {
        return request;
    }

    void dropPadding() {
        request = request.withoutPadding();
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

    public Schedule schedule() {
        return schedule;
    }

    public Accept accept() {
        return accept;
    }

    /** The earlier round this one repeats, if any. */
    public Optional<Transaction> previous() {
        return previous;
    }

    /** When the first datagram went out on the engine's clock, or -1 before. */
    public long firstSent() {
        return firstSent;
    }

    /** Sends so far of this round. */
    public int transmissions() {
        return transmissions;
    }

    /** Sends of this and every earlier round. */
    public int totalTransmissions() {
        return transmissions + previous.map(Transaction::totalTransmissions).orElse(0);
    }

    public boolean settled() {
        return state == State.SETTLED;
    }

    /** How it ended; null while it runs. */
    public Outcome outcome() {
        return outcome;
    }

    /** The outcome, with an unanswered one counting the sends of every round; empty while it runs. */
    public Optional<Outcome> combinedOutcome() {
        if (outcome instanceof Outcome.Unanswered u && previous.isPresent()) {
            return Optional.of(new Outcome.Unanswered(totalTransmissions(), u.complete()));
        }
        return Optional.ofNullable(outcome);
    }

    /** The answer, once answered. */
    public Optional<Response> answer() {
        return outcome == null ? Optional.empty() : outcome.answer();
    }

    void settle(Outcome how) {
        outcome = how;
        state = State.SETTLED;
    }

    /** "filtering test II (to 203.0.113.10:3478 from 192.168.1.2:50000)". */
    public String label() {
        return name + " (to " + AddressText.format(destination) + " from " + AddressText.format(endpoint.local()) + ")";
    }

    @Override
    public String toString() {
        return label() + " " + state + (outcome == null ? "" : " " + outcome);
    }
}
