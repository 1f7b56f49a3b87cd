package dev.natcheck.relay;

import dev.natcheck.address.AddressText;
import dev.natcheck.classify.UntrustedText;
import dev.natcheck.stun.AlternateServer;
import dev.natcheck.stun.Challenge;
import dev.natcheck.stun.ErrorCode;
import dev.natcheck.stun.Nonce;
import dev.natcheck.stun.PasswordAlgorithms;
import dev.natcheck.stun.Realm;
import dev.natcheck.stun.StunMessage;
import dev.natcheck.transaction.Endpoint;
import dev.natcheck.transaction.Ignored;
import dev.natcheck.transaction.LongTermLogin;
import dev.natcheck.transaction.Outcome;
import dev.natcheck.transaction.Request;
import dev.natcheck.transaction.Response;
import dev.natcheck.transaction.Schedule;
import dev.natcheck.transaction.Transaction;
import dev.natcheck.transaction.TransactionLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay's check for {@code natcheck relay}, driven by the transactions of one
 * {@link Allocation} as they settle (states: {@link RelayState}): Allocate (the engine answers
 * the 401 with the credentials), then at once a ChannelBind to the relayed address and
 * {@link #ECHOES} Binding requests sent from the relayed address to itself, which come back
 * through the relay as the echo's answer (another wave when none came back); once all settled,
 * Refresh with lifetime 0. Owned by the
 * loop's thread.
 */
final class RelayCheck {

    /** Echoes sent through a relay over UDP at once: three round-trip samples in one round trip (over TCP, one). */
    static final int ECHOES = 3;
    /** Waves of echoes at most, each sent only when none of the last came back: loss is not a missing path. */
    static final int WAVES = 3;
    /** The shortest wait for an echo: scheduling on a busy host, not the path, decides below this. */
    private static final Duration MIN_ECHO_WAIT = Duration.ofMillis(500);

    private static final Logger log = LoggerFactory.getLogger(RelayCheck.class);

    private final long created;
    private final boolean hold;
    private final TurnServer server;
    private final InetSocketAddress address;
    private final Optional<LongTermLogin> login;
    private final List<String> evidence = new ArrayList<>();
    private RelayState state = RelayState.ALLOCATING;
    private Allocation allocation;
    private Transaction allocate;
    private Optional<String> unusableSuccess = Optional.empty();
    private Transaction bind;
    private final List<Transaction> echoes = new ArrayList<>();
    private Transaction release;
    private Optional<String> openFailure = Optional.empty();
    private int unusableAnswers;
    private Duration rtt;
    private int waves;
    private Duration allocateBudget = Duration.ZERO;

    /** A check of {@code server} at {@code address}; its log times count from {@code startNanos}, the survey's. */
    RelayCheck(TurnServer server, InetSocketAddress address, Optional<LongTermLogin> login, long startNanos) {
        this(server, address, login, startNanos, false);
    }

    /**
     * A check that, with {@code hold}, keeps a working allocation (state {@link RelayState#HOLDING})
     * for a caller that relays through it, until {@link #releaseHeld}.
     */
    RelayCheck(
            TurnServer server,
            InetSocketAddress address,
            Optional<LongTermLogin> login,
            long startNanos,
            boolean hold) {
        this.hold = hold;
        this.created = startNanos;
        this.server = server;
        this.address = address;
        this.login = login;
    }

    /** Opens the connection and sends the Allocate, which has until {@code deadlineNanos}. */
    void start(TransactionLoop loop, long deadlineNanos) {
        try {
            allocation = Allocation.open(loop, server, address, login, this::note);
        } catch (IOException e) {
            openFailure = Optional.of("cannot open a " + server.transport().wireName() + " socket toward "
                    + AddressText.format(address) + ": " + e.getMessage());
            move(RelayState.Event.NOT_ALLOCATED, false);
            return;
        }
        Duration budget = remaining(deadlineNanos);
        allocateBudget = budget;
        allocate = allocation.allocate(
                server.transport() == TurnServer.Transport.TCP
                        ? Schedule.reliable(budget)
                        : Schedule.forBudget(budget));
        loop.submit(allocate);
    }

    /** Takes one transition, logged with its time like the probe's (docs/design.md §12). */
    private void move(RelayState.Event event, boolean signed) {
        RelayState from = state;
        state = state.next(event, signed);
        log.debug(
                "{}: {} --{}--> {} at {} ms",
                server,
                from,
                event,
                state,
                String.format(Locale.ROOT, "%.3f", (System.nanoTime() - created) / 1e6));
    }

    /** Whether {@code endpoint} is one of this check's. */
    boolean owns(Endpoint endpoint) {
        return allocation != null
                && (allocation.control() == endpoint
                        || allocation.relayed().map(r -> r == endpoint).orElse(false));
    }

    /** Whether {@code transaction} is one of this check's. */
    boolean owns(Transaction transaction) {
        return owns(transaction.endpoint());
    }

    /** A datagram the engine set aside on one of this check's endpoints. */
    void ignored(Ignored ignored) {
        note(ignored.toString());
        switch (ignored.reason()) {
            case CHALLENGED, STALE_NONCE, PADDING_UNKNOWN -> {}
            default -> unusableAnswers++;
        }
    }

    private void note(String line) {
        log.debug("{}: {}", server, line);
        evidence.add(line);
    }

    /** Moves on from a settled transaction of this check. */
    void settled(Transaction transaction, TransactionLoop loop, long deadlineNanos) {
        allocation.settled(transaction);
        switch (state) {
            case ALLOCATING -> {
                if (transaction != allocate) {
                    return;
                }
                if (transaction.answer().isPresent()) {
                    unusableSuccess = allocation.allocated(transaction);
                }
                if (transaction.answer().isPresent() && unusableSuccess.isEmpty()) {
                    move(RelayState.Event.ALLOCATED, signedAllocate());
                    checkPath(loop, deadlineNanos);
                } else {
                    move(RelayState.Event.NOT_ALLOCATED, signedAllocate());
                }
            }
            case CHECKING_PATH -> {
                if (!echoes.stream().allMatch(Transaction::settled)) {
                    return;
                }
                boolean anyBack = echoes.stream().anyMatch(e -> e.answer().isPresent());
                if (!anyBack && waves < WAVES && remaining(deadlineNanos).compareTo(Duration.ZERO) > 0) {
                    sendEchoes(loop, deadlineNanos);
                } else if (bind.settled() && hold && anyBack) {
                    move(RelayState.Event.PATH_HELD, true);
                } else if (bind.settled()) {
                    move(RelayState.Event.PATH_CHECKED, true);
                    release(loop, remaining(deadlineNanos));
                }
            }
            case RELEASING -> {
                if (transaction == release) {
                    move(RelayState.Event.RELEASE_SETTLED, true);
                }
            }
            case HOLDING -> {} // the caller's transactions on the allocation, if any
            case DONE, FAILED -> {}
        }
    }

    /** Releases a kept allocation (Refresh, lifetime 0), which has {@code budget}; nothing when none is kept. */
    void releaseHeld(TransactionLoop loop, Duration budget) {
        if (state == RelayState.HOLDING) {
            move(RelayState.Event.RELEASE_ASKED, true);
            release(loop, budget);
        }
    }

    /** The allocation, once opened. */
    Optional<Allocation> allocation() {
        return Optional.ofNullable(allocation);
    }

    /** ChannelBind to the relayed address, and the echoes sent through the relay to it at the same time. */
    private void checkPath(TransactionLoop loop, long deadlineNanos) {
        Response answer = allocate.answer().orElseThrow();
        rtt = answer.sinceFirstSend();
        Duration budget = remaining(deadlineNanos);
        InetSocketAddress relayedAddress = allocation.relayedAddress().orElseThrow();
        bind = allocation.bindChannel(relayedAddress, controlSchedule(budget));
        loop.submit(bind);
        sendEchoes(loop, deadlineNanos);
    }

    /**
     * A wave of {@link #ECHOES} echoes, each sent once (so every answer is an exact round trip)
     * and awaited for max(8 x RTT, 500 ms) within the time left; the next wave goes only when none
     * of this one came back, at most {@link #WAVES} in all.
     */
    private void sendEchoes(TransactionLoop loop, long deadlineNanos) {
        waves++;
        Duration wait = rtt.multipliedBy(8);
        wait = wait.compareTo(MIN_ECHO_WAIT) < 0 ? MIN_ECHO_WAIT : wait;
        Duration left = remaining(deadlineNanos);
        Schedule once = Schedule.once(wait.compareTo(left) > 0 ? left : wait);
        Endpoint relayed = allocation.relayed().orElseThrow();
        InetSocketAddress relayedAddress = allocation.relayedAddress().orElseThrow();
        // Over TCP one echo a wave: the relay's TCP stack may coalesce answers, and the last of
        // several echoes sent back to back would then look faster than the path is.
        int count = server.transport() == TurnServer.Transport.TCP ? 1 : ECHOES;
        for (int i = 1; i <= count; i++) {
            Transaction echo = new Transaction(
                    "echo " + (echoes.size() + 1) + " through " + server,
                    relayed,
                    relayedAddress,
                    Request.binding(),
                    once,
                    Transaction.Accept.OWN_REQUEST);
            echoes.add(echo);
            loop.submit(echo);
        }
    }

    private void release(TransactionLoop loop, Duration budget) {
        release = allocation.refresh(0, controlSchedule(budget));
        loop.submit(release);
    }

    private Schedule controlSchedule(Duration budget) {
        if (server.transport() == TurnServer.Transport.TCP) {
            return Schedule.reliable(budget);
        }
        return rtt == null ? Schedule.forBudget(budget) : Schedule.fromRtt(rtt).within(budget);
    }

    /**
     * The deadline (or an interruption) came: what was running was cut short. A check that holds
     * or may hold an allocation sends its release, which has {@code releaseBudget}.
     */
    void timeUp(TransactionLoop loop, Duration releaseBudget) {
        if (state.terminal()) {
            return;
        }
        RelayState before = state;
        if (allocate != null) {
            allocation.settled(allocate); // cut short, never reported: its credentials serve the release
        }
        move(RelayState.Event.TIME_UP, signedAllocate());
        if (state == RelayState.RELEASING && before != RelayState.RELEASING) {
            if (before == RelayState.ALLOCATING) {
                note("the Allocate was cut short after a signed request: releasing in case the relay granted it");
            }
            release(loop, releaseBudget);
        }
    }

    /** Whether an Allocate went out with credentials: then the relay may hold an allocation we never heard of. */
    private boolean signedAllocate() {
        return allocate != null && allocate.request().credentials().isPresent();
    }

    RelayState state() {
        return state;
    }

    /** The round trip to the relay itself, once known: what the release may need. */
    Optional<Duration> serverRtt() {
        return Optional.ofNullable(rtt);
    }

    TurnServer server() {
        return server;
    }

    /** What the check found, in its present state. */
    RelayOutcome outcome() {
        boolean allocated = allocation != null && allocation.relayed().isPresent();
        List<Duration> samples = new ArrayList<>();
        int back = 0;
        for (Transaction echo : echoes) {
            Optional<Response> answer = echo.answer();
            if (answer.isPresent()) {
                back++;
                samples.add(answer.get().sinceFirstSend()); // sent once: an exact round trip
            }
        }
        RelayResult result;
        String detail;
        if (allocated) {
            result = back > 0 ? RelayResult.OK : RelayResult.NO_RELAY_PATH;
            detail = allocatedDetail(back);
        } else {
            result = failure();
            detail = failureDetail(result);
        }
        Optional<Duration> serverRtt = allocate != null
                        && allocate.answer().isPresent()
                        && allocate.answer().get().transmissions() == 1
                ? Optional.of(allocate.answer().get().sinceFirstSend())
                : Optional.empty();
        return new RelayOutcome(
                server,
                Optional.of(address),
                result,
                detail,
                allocation == null
                        ? Optional.empty()
                        : Optional.of(allocation.control().local()),
                allocated ? allocation.mappedAddress() : Optional.empty(),
                allocated ? allocation.relayedAddress() : Optional.empty(),
                allocated ? allocation.lifetimeSeconds() : 0,
                allocated ? allocate.sinceFirstRound() : Optional.empty(),
                serverRtt,
                samples,
                echoes.size(),
                back,
                allocated && allocation.channelBound(allocation.relayedAddress().orElseThrow()),
                release(),
                evidence);
    }

    private String allocatedDetail(int back) {
        String relayed = AddressText.format(allocation.relayedAddress().orElseThrow());
        if (back > 0) {
            return "relayed address " + relayed + "; " + back + " of " + echoes.size() + " echoes came back through the"
                    + " relay";
        }
        String why = bind == null
                ? ""
                : switch (bind.outcome()) {
                    case Outcome.Rejected r ->
                        "; the ChannelBind to it was refused: " + r.code() + " " + r.reason()
                                + (r.code() == ErrorCode.FORBIDDEN
                                        ? " (the relay does not let clients reach its own relayed"
                                                + " addresses, or this peer address)"
                                        : "");
                    case null -> "";
                    default -> "";
                };
        return "allocated " + relayed + ", but none of the " + echoes.size()
                + " echoes sent to it through the relay came back" + why;
    }

    private RelayResult failure() {
        if (openFailure.isPresent()) {
            return RelayResult.REFUSED;
        }
        if (unusableSuccess.isPresent()) {
            return RelayResult.NOT_TURN;
        }
        Outcome outcome = allocate == null ? null : allocate.outcome();
        return switch (outcome) {
            case Outcome.Rejected r when r.code() == ErrorCode.UNAUTHENTICATED -> RelayResult.AUTH_FAILED;
            case Outcome.Rejected r -> RelayResult.REJECTED;
            case Outcome.Refused r -> unusable() > 0 ? RelayResult.NOT_TURN : RelayResult.REFUSED;
            case Outcome.Answered a -> RelayResult.NOT_TURN;
            case Outcome.Unanswered u -> unusable() > 0 ? RelayResult.NOT_TURN : RelayResult.NO_ANSWER;
            case null -> RelayResult.NO_ANSWER;
        };
    }

    private String failureDetail(RelayResult result) {
        if (openFailure.isPresent()) {
            return openFailure.get();
        }
        if (unusableSuccess.isPresent()) {
            return unusableSuccess.get();
        }
        Outcome outcome = allocate == null ? null : allocate.outcome();
        return switch (outcome) {
            case Outcome.Rejected r when r.code() == ErrorCode.UNAUTHENTICATED -> unauthenticated(r);
            case Outcome.Rejected r
            when r.code() == ErrorCode.STALE_NONCE ->
                "the relay called the nonce stale (438) " + Transaction.MAX_CHALLENGE_ROUNDS + " times in a row";
            case Outcome.Rejected r -> "Allocate refused: " + r.code() + " " + r.reason() + hint(r);
            case Outcome.Refused r -> r.detail() + (result == RelayResult.NOT_TURN ? firstEvidence() : "");
            case Outcome.Unanswered u
            when result == RelayResult.NOT_TURN ->
                unusable() + " datagrams came back, none a usable TURN answer" + firstEvidence();
            case Outcome.Unanswered u ->
                "no answer to " + allocate.transmissions() + " Allocate request"
                        + (allocate.transmissions() == 1 ? "" : "s") + " in " + seconds(allocateBudget.toNanos());
            case Outcome.Answered a -> "unusable Allocate success";
            case null -> "not started";
        };
    }

    /** Datagrams from the relay that were no usable answer: garbage, or STUN of the wrong kind. */
    private int unusable() {
        return unusableAnswers + (allocation == null ? 0 : allocation.unusable());
    }

    private String firstEvidence() {
        return evidence.stream()
                .filter(e -> !e.contains("asked for credentials") && !e.contains("went stale"))
                .findFirst()
                .map(e -> " (first: " + e + ")")
                .orElse("");
    }

    private String unauthenticated(Outcome.Rejected rejected) {
        boolean signed = allocate.request().credentials().isPresent();
        String realm = rejected.response()
                .flatMap(r -> r.message().attribute(Realm.class))
                .map(r -> " in realm \"" + UntrustedText.escape(r.value()) + "\"")
                .orElse("");
        if (signed) {
            return "wrong credentials: the relay refused user "
                    + allocate.request().credentials().get().username() + realm + " (401 " + rejected.reason() + ")";
        }
        if (login.isEmpty()) {
            return "the relay wants credentials" + realm
                    + ": give --turn-user with --turn-password, or --turn-secret (401 " + rejected.reason() + ")";
        }
        Optional<String> refusal = rejected.response().flatMap(RelayCheck::challengeRefusal);
        return "cannot answer the relay's 401: " + refusal.orElse("it names no REALM and NONCE");
    }

    private static Optional<String> challengeRefusal(Response response) {
        StunMessage message = response.message();
        Optional<Realm> realm = message.attribute(Realm.class);
        Optional<Nonce> nonce = message.attribute(Nonce.class);
        if (realm.isEmpty() || nonce.isEmpty()) {
            return Optional.empty();
        }
        return new Challenge(
                        ErrorCode.UNAUTHENTICATED,
                        realm.get().value(),
                        nonce.get().value(),
                        message.attribute(PasswordAlgorithms.class))
                .refusal();
    }

    private static String hint(Outcome.Rejected rejected) {
        return switch (rejected.code()) {
            case ErrorCode.TRY_ALTERNATE ->
                rejected.response()
                        .flatMap(r -> r.message().attribute(AlternateServer.class))
                        .map(a -> " (the relay sends clients to " + AddressText.format(a.socketAddress()) + ")")
                        .orElse("");
            case ErrorCode.BAD_REQUEST -> " (the relay calls natcheck's Allocate malformed)";
            case ErrorCode.FORBIDDEN -> " (the relay does not serve this user or this address)";
            case ErrorCode.ALLOCATION_MISMATCH -> " (the relay already holds an allocation for this address and port)";
            case ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED -> " (the relay has no relayed address of this family)";
            case ErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL -> " (the relay does not relay UDP)";
            case ErrorCode.ALLOCATION_QUOTA_REACHED -> " (this user holds as many allocations as the relay allows)";
            case ErrorCode.INSUFFICIENT_CAPACITY -> " (the relay has no relayed address left to give)";
            default -> "";
        };
    }

    private Release release() {
        if (release == null) {
            return allocation != null && allocation.relayed().isPresent()
                    ? Release.UNCONFIRMED
                    : Release.NOTHING_ALLOCATED;
        }
        return switch (release.outcome()) {
            case Outcome.Answered a -> Release.RELEASED;
            case Outcome.Rejected r
            when r.code() == ErrorCode.ALLOCATION_MISMATCH ->
                allocation.relayed().isPresent() ? Release.GONE : Release.NOTHING_ALLOCATED;
            case null -> Release.UNCONFIRMED;
            default -> Release.UNCONFIRMED;
        };
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
