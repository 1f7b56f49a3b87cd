package dev.natcheck.transaction;

import dev.natcheck.address.AddressText;
import dev.natcheck.stun.AttributeType;
import dev.natcheck.stun.StunAttribute;
import dev.natcheck.stun.TransactionId;
import java.net.InetSocketAddress;
import java.time.Duration;
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

    /** At most this many 401 and 438 answers are answered by one transaction. */
    public static final int MAX_CHALLENGE_ROUNDS = 3;

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
    /** When the first round's first datagram went out (before any 420 or credential retry); -1 before. */
    long firstRoundSent = -1;
    /** Who answers a long-term credential challenge, if anyone; and how many it answered. */
    private Optional<LongTermLogin> login = Optional.empty();

    int challengeRounds;
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
        round.login = login;
        return round.reusingBinding();
    }

    /**
     * Makes this transaction answer a server's long-term credential challenges as {@code as}
     * (RFC 8489 section 9.2.5): a 401 to the request sent without credentials brings it back
     * signed with credentials made from the challenge's realm and nonce, a 438 (Stale Nonce) with
     * the new nonce, each under a new transaction id, at most {@link #MAX_CHALLENGE_ROUNDS} times.
     * A 401 to a request that was already signed settles it: the credentials are wrong. The
     * credentials it ends with are in {@link #request()}, for the next request to the same server.
     */
    public Transaction answeringChallenges(LongTermLogin as) {
        login = Optional.of(as);
        return this;
    }

    Optional<LongTermLogin> login() {
        return login;
    }

    void resign(Credentials credentials) {
        request = request.signedWith(credentials);
        challengeRounds++;
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

    /** The request as sent now: without PADDING after a 420 that named it, signed after a 401 or 438. */
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

    /** When the first round's first datagram went out (before any 420 or credential retry); -1 before. */
    public long firstRoundSent() {
        return firstRoundSent;
    }

    /** Time from the first round's first send to the answer: the whole exchange, a 401 round included. */
    public Optional<Duration> sinceFirstRound() {
        Optional<Response> answer = answer();
        return answer.isEmpty()
                ? Optional.empty()
                : Optional.of(answer.get().sinceFirstSend().plusNanos(firstSent - firstRoundSent));
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
