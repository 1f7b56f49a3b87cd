package dev.natcheck.transaction;

import dev.natcheck.address.AddressText;
import dev.natcheck.classify.UntrustedText;
import dev.natcheck.stun.AddressAttribute;
import dev.natcheck.stun.AttributeType;
import dev.natcheck.stun.Challenge;
import dev.natcheck.stun.ErrorCode;
import dev.natcheck.stun.LongTermCredentials;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.MessageHeader;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.StunParseException;
import dev.natcheck.stun.TransactionId;
import dev.natcheck.transaction.Ignored.Reason;
import dev.natcheck.transaction.Transaction.Accept;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The client transactions of one run, without I/O of their own: starts each at the slot its
 * {@link Pacer} grants, retransmits it on its {@link Schedule}, checks every datagram that comes
 * in against the transaction its id names, and settles each transaction once. A
 * {@link TransactionLoop} feeds it from real sockets; a test feeds it by hand, on a clock it
 * moves itself.
 *
 * <p>The answer check, in order (each failure is an {@link Ignored} with its {@link Reason}):
 * a well-formed STUN message, with the magic cookie, with a transaction id of ours, for the
 * request's method, on the request's socket and from the destination (unless the transaction's
 * {@link Accept} says otherwise), a response (or, for {@link Accept#OWN_REQUEST}, the request
 * itself), with valid MESSAGE-INTEGRITY when the request was signed, and for a Binding success
 * a mapped address of the socket's family. An error response settles the transaction, except a
 * 420 naming PADDING, after which the request goes out again without it under a new id (RFC 8489
 * section 7.3.3.1), and, for a transaction {@linkplain Transaction#answeringChallenges answering
 * challenges}, a 401 or 438 with REALM and NONCE, after which it goes out again signed with
 * long-term credentials (section 9.2.5). Answers to a transaction that has settled, or to an earlier id of it, are
 * duplicates of a retransmission's answer and dropped without a word.
 */
public sealed class Transactions permits TransactionLoop {

    /** Where a request goes out: the endpoint's socket in a run, a recorder in a test. */
    @FunctionalInterface
    interface Wire {
        void send(Endpoint from, InetSocketAddress to, ByteBuffer datagram) throws IOException;
    }

    private static final int MAX_DATAGRAM = 65_535;

    /** Nanoseconds on a monotonic scale: {@link System#nanoTime()} in a run, a hand-moved clock in a test. */
    private final LongSupplier clock;

    private final Wire wire;
    private final Optional<Pacer> pacer;
    private final Consumer<Ignored> ignored;
    private final MessageEncoder encoder = new MessageEncoder();
    private final MessageView view = new MessageView();
    private final byte[] encoded = new byte[MAX_DATAGRAM];
    private final List<Transaction> active = new ArrayList<>();
    private final List<Transaction> later = new ArrayList<>();
    // Every id sent under and its transaction (a 420 retry's earlier id too). A run has tens: a
    // scan comparing bytes in place beats hashing a new id object per datagram.
    private final List<TransactionId> ids = new ArrayList<>();
    private final List<Transaction> owners = new ArrayList<>();
    private final Queue<Transaction> settledQueue = new ArrayDeque<>();
    private long lastAnswerAt = Long.MIN_VALUE;
    /** When the datagram being checked arrived. */
    private long arrivedAt;

    private Consumer<Transaction> transmitted = t -> {};

    /** Without a pacer transactions start at once; every datagram set aside goes to {@code ignored}. */
    Transactions(LongSupplier clock, Wire wire, Optional<Pacer> pacer, Consumer<Ignored> ignored) {
        this.clock = clock;
        this.wire = wire;
        this.pacer = pacer;
        this.ignored = ignored;
    }

    /** Queues {@code transaction} for the next start slot the pacer grants (now, without a pacer). */
    public void submit(Transaction transaction) {
        long now = clock.getAsLong();
        transaction.startAt = pacer.isPresent() ? pacer.get().reserve(now, transaction.newBinding) : now;
        active.add(transaction);
    }

    /** Queues {@code transaction} for a slot at or after {@code atNanos}, reserved only then so as to hold up no one. */
    public void submitAt(Transaction transaction, long atNanos) {
        transaction.startAt = atNanos;
        later.add(transaction);
    }

    /** Starts {@code transaction}, queued with {@link #submitAt}, at the next free slot instead of its time. */
    public void expedite(Transaction transaction) {
        if (later.remove(transaction)) {
            submit(transaction);
        }
    }

    /** Ends {@code transaction} now, unanswered and cut short, unless it already settled. */
    public void cancel(Transaction transaction) {
        later.remove(transaction);
        if (!transaction.settled()) {
            settle(transaction, new Outcome.Unanswered(transaction.transmissions, false));
        }
    }

    /** The clock time of the latest accepted answer on any socket, or Long.MIN_VALUE. */
    public long lastAnswerAt() {
        return lastAnswerAt;
    }

    /** Starts, sends and gives up what is due; returns when something next is (Long.MAX_VALUE: nothing). */
    long poll() {
        long now = clock.getAsLong();
        long wake = Long.MAX_VALUE;
        for (var it = later.iterator(); it.hasNext(); ) {
            Transaction transaction = it.next();
            if (now >= transaction.startAt) {
                it.remove();
                submit(transaction);
            } else {
                wake = Math.min(wake, transaction.startAt);
            }
        }
        for (int i = 0; i < active.size(); i++) {
            Transaction transaction = active.get(i);
            if (!transaction.settled()) {
                wake = Math.min(wake, step(transaction, now));
            }
        }
        // A listener told of a send may have queued a transaction for later meanwhile: it is due too.
        for (Transaction transaction : later) {
            wake = Math.min(wake, transaction.startAt);
        }
        return wake;
    }

    private long step(Transaction transaction, long now) {
        if (transaction.state == Transaction.State.WAITING) {
            if (now < transaction.startAt) {
                return transaction.startAt;
            }
            transaction.state = Transaction.State.RUNNING;
            begin(transaction, now);
        }
        Schedule schedule = transaction.schedule;
        long due = schedule.sendOffsetNanos(transaction.transmissions);
        if (due >= 0 && now - transaction.firstSent >= due) {
            transmit(transaction);
            if (transaction.settled()) {
                return Long.MAX_VALUE;
            }
            due = schedule.sendOffsetNanos(transaction.transmissions);
        }
        if (due >= 0) {
            return transaction.firstSent + due;
        }
        long giveUp = transaction.firstSent + schedule.giveUpOffsetNanos();
        if (now >= giveUp) {
            settle(transaction, new Outcome.Unanswered(transaction.transmissions, true));
            return Long.MAX_VALUE;
        }
        return giveUp;
    }

    /** A fresh transaction id and the request encoded under it; the schedule starts over. */
    private void begin(Transaction transaction, long now) {
        transaction.id = TransactionId.random();
        ids.add(transaction.id);
        owners.add(transaction);
        int length = transaction.request().encode(encoder, encoded, transaction.id);
        transaction.datagram = Arrays.copyOf(encoded, length);
        transaction.firstSent = now;
        if (transaction.firstRoundSent < 0) {
            transaction.firstRoundSent = now;
        }
        transaction.transmissions = 0;
    }

    private void transmit(Transaction transaction) {
        try {
            wire.send(transaction.endpoint(), transaction.destination(), ByteBuffer.wrap(transaction.datagram));
        } catch (PortUnreachableException e) {
            refused(transaction.endpoint(), "ICMP port unreachable");
            return;
        } catch (IOException e) {
            settle(transaction, new Outcome.Refused("cannot send: " + e.getMessage()));
            return;
        }
        if (transaction.transmissions == 0) {
            // The round's time starts when its first datagram left, not when encoding began: a
            // relayed endpoint's carrier wraps it first, which takes time the path does not.
            transaction.firstSent = clock.getAsLong();
        }
        transaction.transmissions++;
        transmitted.accept(transaction);
    }

    /**
     * {@code listener} hears of every datagram a transaction sends, first sends and
     * retransmissions alike, right after it went out: what a timeline of the run needs.
     */
    public void onTransmit(Consumer<Transaction> listener) {
        transmitted = listener;
    }

    /** An ICMP error on a connected socket ends every transaction still running on it. */
    void refused(Endpoint endpoint, String why) {
        for (Transaction transaction : List.copyOf(active)) {
            if (transaction.endpoint() == endpoint && transaction.state == Transaction.State.RUNNING) {
                settle(
                        transaction,
                        new Outcome.Refused(why + " from " + AddressText.format(transaction.destination())));
            }
        }
    }

    /** A TCP connection that failed or broke ends every transaction still running on it, saying {@code why}. */
    void brokenConnection(Endpoint endpoint, String why) {
        for (Transaction transaction : List.copyOf(active)) {
            if (transaction.endpoint() == endpoint && transaction.state == Transaction.State.RUNNING) {
                settle(transaction, new Outcome.Refused(why));
            }
        }
    }

    /** One datagram that arrived on {@code endpoint} from {@code source}: an answer, or evidence, or the caller's. */
    void received(Endpoint endpoint, InetSocketAddress source, byte[] buf, int length) {
        received(endpoint, source, buf, length, clock.getAsLong());
    }

    /**
     * Like {@link #received(Endpoint, InetSocketAddress, byte[], int)}, for a datagram that arrived
     * at {@code arrivedAt} on the engine's clock: the time an answer took is measured to its
     * arrival, not to when it was looked at (a datagram read while others were being handled would
     * otherwise carry their handling in its round trip).
     */
    void received(Endpoint endpoint, InetSocketAddress source, byte[] buf, int length, long arrivedAt) {
        this.arrivedAt = arrivedAt;
        try {
            view.decode(buf, 0, length);
        } catch (StunParseException e) {
            notOurs(endpoint, source, buf, length, Reason.MALFORMED, e.getMessage());
            return;
        }
        if (view.cookie() != MessageHeader.MAGIC_COOKIE) {
            notOurs(endpoint, source, buf, length, Reason.NO_MAGIC_COOKIE, "");
            return;
        }
        int index = 0;
        while (index < ids.size() && !view.transactionIdMatches(ids.get(index))) {
            index++;
        }
        if (index == ids.size()) {
            notOurs(endpoint, source, buf, length, Reason.FOREIGN_TRANSACTION, "");
            return;
        }
        Transaction transaction = owners.get(index);
        if (transaction.settled() || ids.get(index) != transaction.id) {
            return; // a duplicate answer to a retransmission, or to the round before a 420: nothing to learn
        }
        Optional<Ignored> problem = check(transaction, endpoint, source);
        if (problem.isPresent()) {
            ignored.accept(problem.get());
        } else if (view.messageClass() == MessageClass.ERROR_RESPONSE) {
            rejected(transaction, endpoint, source);
        } else {
            lastAnswerAt = arrivedAt;
            settle(transaction, new Outcome.Answered(response(transaction, endpoint, source)));
        }
    }

    private void notOurs(
            Endpoint endpoint, InetSocketAddress source, byte[] buf, int length, Reason reason, String detail) {
        if (endpoint.unsolicited.isPresent()) {
            endpoint.unsolicited.get().accept(new Datagram(endpoint, source, Arrays.copyOf(buf, length)));
        } else {
            ignored.accept(new Ignored(reason, detail, endpoint, source, Optional.empty()));
        }
    }

    /** Everything an answer to {@code transaction} must be, past the transaction id; empty when it is. */
    private Optional<Ignored> check(Transaction transaction, Endpoint endpoint, InetSocketAddress source) {
        Method method = transaction.request().method();
        MessageClass messageClass = view.messageClass();
        Accept accept = transaction.accept();
        boolean ownRequest = accept == Accept.OWN_REQUEST;
        Reason reason = null;
        String detail = "";
        if (view.methodCode() != method.code()) {
            reason = Reason.WRONG_METHOD;
            detail = view.method() + " instead of " + method;
        } else if (ownRequest ? messageClass != MessageClass.REQUEST : !messageClass.isResponse()) {
            reason = Reason.WRONG_CLASS;
            detail = messageClass + (ownRequest ? " instead of the request itself" : " instead of a response");
        } else if (endpoint != transaction.endpoint()
                && (accept == Accept.FROM_DESTINATION || accept == Accept.FROM_ANY_SOURCE)) {
            reason = Reason.WRONG_SOCKET;
        } else if (!source.equals(transaction.destination())
                && (accept == Accept.FROM_DESTINATION || accept == Accept.ON_ANY_SOCKET)) {
            reason = Reason.WRONG_SOURCE;
        } else if (!ownRequest && integrityFails(transaction.request(), messageClass)) {
            reason = Reason.BAD_INTEGRITY;
            detail = view.hasMessageIntegrity() ? "the HMAC does not match" : "none in the answer";
        } else if (messageClass == MessageClass.SUCCESS_RESPONSE && method == Method.BINDING) {
            detail = mappedAddressProblem(endpoint);
            reason = detail.isEmpty() ? null : Reason.NO_MAPPED_ADDRESS;
        }
        return reason == null
                ? Optional.empty()
                : Optional.of(new Ignored(reason, detail, endpoint, source, Optional.of(transaction)));
    }

    // RFC 8489 section 9.1.4: a success answer to a signed request must carry valid
    // MESSAGE-INTEGRITY; an error may lack it (a server that cannot check credentials cannot sign).
    private boolean integrityFails(Request request, MessageClass messageClass) {
        if (request.credentials().isEmpty()) {
            return false;
        }
        Credentials signer = request.credentials().get();
        boolean required = messageClass == MessageClass.SUCCESS_RESPONSE
                || view.hasMessageIntegrity()
                || view.hasMessageIntegritySha256();
        if (!required) {
            return false;
        }
        LongTermCredentials longTerm = signer.longTerm().orElse(null);
        return longTerm != null ? !longTerm.verify(view) : !view.verifyMessageIntegrity(signer.key());
    }

    /** Why a Binding success answer names no usable mapped address; empty when it does. */
    private String mappedAddressProblem(Endpoint endpoint) {
        AddressAttribute mapped = view.xorMappedAddress().isPresent()
                ? view.xorMappedAddress().get()
                : view.mappedAddress().orElse(null);
        if (mapped == null) {
            return "success answer without XOR-MAPPED-ADDRESS or MAPPED-ADDRESS ignored";
        }
        boolean ipv4 = endpoint.local().getAddress() instanceof Inet4Address;
        if ((mapped.address() instanceof Inet4Address) != ipv4) {
            return "mapped address " + AddressText.format(mapped.socketAddress()) + " is not "
                    + (ipv4 ? "ipv4" : "ipv6") + ", answer ignored";
        }
        return "";
    }

    private void rejected(Transaction transaction, Endpoint endpoint, InetSocketAddress source) {
        ErrorCode error = view.errorCode().orElse(null);
        int code = error == null ? 0 : error.code();
        boolean paddingUnknown = code == ErrorCode.UNKNOWN_ATTRIBUTE
                && view.unknownAttributes().isPresent()
                && view.unknownAttributes().get().types().contains(AttributeType.PADDING);
        if (paddingUnknown && transaction.request().padded()) {
            ignored.accept(new Ignored(Reason.PADDING_UNKNOWN, "", endpoint, source, Optional.of(transaction)));
            transaction.dropPadding();
            begin(transaction, clock.getAsLong());
            transmit(transaction);
            return;
        }
        if ((code == ErrorCode.UNAUTHENTICATED || code == ErrorCode.STALE_NONCE) && answerChallenge(transaction)) {
            ignored.accept(new Ignored(
                    code == ErrorCode.STALE_NONCE ? Reason.STALE_NONCE : Reason.CHALLENGED,
                    UntrustedText.escape(view.realm().map(r -> r.value()).orElse("")),
                    endpoint,
                    source,
                    Optional.of(transaction)));
            begin(transaction, clock.getAsLong());
            transmit(transaction);
            return;
        }
        settle(
                transaction,
                new Outcome.Rejected(
                        code,
                        // The server's own words: escaped here, once, before any output or log sees them.
                        error == null ? "(no ERROR-CODE)" : UntrustedText.escape(error.reason()),
                        Optional.of(response(transaction, endpoint, source))));
    }

    /**
     * Signs {@code transaction}'s request anew for the 401 or 438 in {@link #view} (RFC 8489
     * section 9.2.5) and returns true, or returns false when it must settle instead: no login, a
     * 401 to a request already signed (wrong credentials), no usable challenge, a challenge the
     * RFC forbids answering, or too many rounds.
     */
    private boolean answerChallenge(Transaction transaction) {
        LongTermLogin login = transaction.login().orElse(null);
        Challenge challenge = Challenge.of(view).orElse(null);
        if (login == null || challenge == null || transaction.challengeRounds >= Transaction.MAX_CHALLENGE_ROUNDS) {
            return false;
        }
        LongTermCredentials current = transaction
                .request()
                .credentials()
                .flatMap(Credentials::longTerm)
                .orElse(null);
        if (current != null && !challenge.stale()) {
            return false;
        }
        try {
            LongTermCredentials next = current != null && current.realm().equals(challenge.realm())
                    ? current.withNonce(challenge)
                    : LongTermCredentials.answer(challenge, login.username(), login.password());
            transaction.resign(Credentials.longTerm(next));
            return true;
        } catch (IllegalArgumentException e) {
            return false; // a bid-down, or a name OpaqueString refuses: the error response stands
        }
    }

    private Response response(Transaction transaction, Endpoint endpoint, InetSocketAddress source) {
        return new Response(
                source,
                endpoint.local(),
                view.toMessage(),
                Duration.ofNanos(Math.max(0, arrivedAt - transaction.firstSent)),
                transaction.transmissions);
    }

    private void settle(Transaction transaction, Outcome outcome) {
        transaction.settle(outcome);
        settledQueue.add(transaction);
    }

    /** Whether a settled transaction waits to be reported. */
    boolean hasSettled() {
        return !settledQueue.isEmpty();
    }

    /** Reports every settled transaction to {@code onSettled}, which may submit more. */
    void drainSettled(Consumer<Transaction> onSettled) {
        Transaction transaction;
        while ((transaction = settledQueue.poll()) != null) {
            onSettled.accept(transaction);
        }
    }

    /** Whether nothing waits or runs. */
    boolean idle() {
        active.removeIf(Transaction::settled);
        return active.isEmpty() && later.isEmpty();
    }

    /** The deadline: every transaction still waiting or running ends unanswered and cut short, unreported. */
    void cancelAll() {
        active.addAll(later);
        later.clear();
        for (Transaction transaction : List.copyOf(active)) {
            cancel(transaction);
        }
        settledQueue.clear();
        active.clear();
    }
}
