package dev.natcheck.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.stun.AttributeType;
import dev.natcheck.stun.ChangeRequest;
import dev.natcheck.stun.ErrorCode;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.MessageIntegrity;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.ResponsePort;
import dev.natcheck.stun.StunMessage;
import dev.natcheck.stun.TransactionId;
import dev.natcheck.stun.Username;
import dev.natcheck.transaction.Ignored.Reason;
import dev.natcheck.transaction.Transaction.Accept;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine on a hand-moved clock: requests go to a recorder instead of a socket and answers are
 * fed in as bytes, so every send time, every retry and every reason to ignore a datagram is
 * checked exactly, without sleeping. (The endpoints are real loopback sockets, never used.)
 */
class TransactionsTest {

    private static final long MS = 1_000_000L;
    private static final long START = 5_000 * MS;
    private static final InetSocketAddress SERVER = socket("127.0.0.1", 3478);
    private static final InetSocketAddress ELSEWHERE = socket("127.0.0.2", 3479);
    private static final InetSocketAddress MAPPED = socket("127.0.0.1", 40000);
    private static final Credentials CREDENTIALS = Credentials.shortTerm("alice:bob", "secret");

    /** One datagram handed to the wire. */
    record Sent(Endpoint from, InetSocketAddress to, byte[] bytes, long at) {
        StunMessage message() {
            try {
                return StunMessage.decode(bytes);
            } catch (Exception e) {
                throw new AssertionError("the engine sent something undecodable", e);
            }
        }

        TransactionId id() {
            return message().transactionId();
        }

        boolean padded() {
            return message().attribute(AttributeType.PADDING).isPresent();
        }
    }

    private final FakeClock clock = new FakeClock(START);
    private final List<Sent> sent = new ArrayList<>();
    private final List<Ignored> ignored = new ArrayList<>();
    private Transactions transactions = engine(Optional.empty());
    private Endpoint endpoint;
    private Endpoint otherEndpoint;

    private Transactions engine(Optional<Pacer> pacer) {
        return new Transactions(
                clock,
                (from, to, datagram) -> {
                    byte[] bytes = new byte[datagram.remaining()];
                    datagram.get(bytes);
                    sent.add(new Sent(from, to, bytes, clock.getAsLong()));
                },
                pacer,
                ignored::add);
    }

    @BeforeEach
    void openEndpoints() throws IOException {
        InetAddress loopback = SERVER.getAddress();
        endpoint = Endpoint.open("client", loopback, Optional.empty(), Optional.empty());
        otherEndpoint = Endpoint.open("other", loopback, Optional.empty(), Optional.empty());
    }

    @AfterEach
    void closeEndpoints() {
        endpoint.close();
        otherEndpoint.close();
    }

    // ---- retransmission timing ----

    /** A schedule, the send times it must give (ms after the first) and when the transaction gives up. */
    record Timing(String name, Schedule schedule, long[] sendsMillis, long giveUpMillis) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Timing> timings() {
        long[] control = new long[25];
        for (int n = 1; n < control.length; n++) {
            control[n] = control[n - 1] + Math.min(100L << (n - 1), 400);
        }
        return Stream.of(
                // 3 s, the UDP share of the default 5 s timeout: 375 ms RTO, the interval capped at 3000/7 ms.
                new Timing(
                        "probe, 3 s budget",
                        Schedule.forBudget(Duration.ofSeconds(3)),
                        new long[] {0, 375, 803, 1232, 1660, 2089, 2517},
                        3000),
                // Long budget: RFC 8489's doubling from 500 ms until the cap (40000/7 ms) stops it.
                new Timing(
                        "probe, 40 s budget",
                        Schedule.forBudget(Duration.ofSeconds(40)),
                        new long[] {0, 500, 1500, 3500, 7500, 13214, 18928},
                        40000),
                new Timing(
                        "behaviour control: 100 ms doubling to 400 ms, 25 sends",
                        Schedule.control(),
                        control,
                        control[24] + 400),
                new Timing(
                        "after a 50 ms round trip: ten sends 20 ms apart, then 2 x RTT",
                        Schedule.afterRtt(Duration.ofMillis(50)),
                        new long[] {0, 20, 40, 60, 80, 100, 120, 140, 160, 180},
                        280),
                new Timing(
                        "control cut to a 1 s budget",
                        Schedule.control().within(Duration.ofSeconds(1)),
                        new long[] {0, 100, 300},
                        700));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timings")
    void retransmitsTheSameRequestOnScheduleThenGivesUp(Timing timing) {
        Transaction transaction = binding(Request.binding(), timing.schedule());
        transactions.submit(transaction);

        runUntilSettled(transaction);

        assertThat(sent.stream().mapToLong(s -> (s.at() - START) / MS).toArray())
                .containsExactly(timing.sendsMillis());
        assertThat(sent)
                .extracting(Sent::bytes)
                .allSatisfy(b -> assertThat(b).isEqualTo(sent.getFirst().bytes()));
        assertThat(transaction.outcome()).isEqualTo(new Outcome.Unanswered(timing.sendsMillis().length, true));
        assertThat((clock.getAsLong() - START) / MS).isEqualTo(timing.giveUpMillis());
    }

    @Test
    void anAnswerStopsTheRetransmissionsAndMeasuresTheTimeFromTheFirstSend() {
        Transaction transaction = binding(Request.binding(), Schedule.control());
        transactions.submit(transaction);
        step(); // sends at 0
        clock.advanceMillis(100);
        step(); // and at 100 ms
        clock.advanceMillis(37);

        deliver(endpoint, SERVER, success(sent.getFirst().id()));

        Response response = transaction.answer().orElseThrow();
        assertThat(response.sinceFirstSend()).isEqualTo(Duration.ofMillis(137));
        assertThat(response.transmissions()).isEqualTo(2);
        assertThat(response.mapped()).contains(MAPPED);
        assertThat(response.receivedOn()).isEqualTo(endpoint.local());
        assertThat(transactions.lastAnswerAt()).isEqualTo(clock.getAsLong());
        clock.advanceMillis(1_000);
        step();
        assertThat(sent).hasSize(2);
    }

    @Test
    void newTransactionsWaitForTheirPacerSlot() {
        transactions = engine(Optional.of(new Pacer()));
        Transaction first = binding(Request.binding(), Schedule.control());
        Transaction second = binding(Request.binding(), Schedule.control());
        transactions.submit(first);
        transactions.submit(second);

        step();
        assertThat(sent).hasSize(1);
        clock.advanceMillis(20);
        step();

        assertThat(sent).extracting(s -> (s.at() - START) / MS).containsExactly(0L, 20L);
        assertThat(sent.get(1).id()).isNotEqualTo(sent.get(0).id());
    }

    @Test
    void aTransactionQueuedForLaterWhileSendingIsWhenPollWakesNext() {
        Transaction first = binding(Request.binding(), Schedule.control());
        Transaction next = binding(Request.binding(), Schedule.control());
        transactions.onTransmit(t -> {
            if (t == first && t.transmissions() == 1) {
                transactions.submitAt(next, clock.getAsLong() + 8 * MS);
            }
        });
        transactions.submit(first);

        long wake = transactions.poll();

        // Not first's retransmission at 100 ms: next, queued by the listener during this poll.
        assertThat(wake).isEqualTo(START + 8 * MS);
        clock.advanceMillis(8);
        transactions.poll();
        assertThat(sent).extracting(s -> (s.at() - START) / MS).containsExactly(0L, 8L);
    }

    // ---- requests ----

    @Test
    void aPaddedRequestIsTwoHundredFiftySixBytesWhateverItCarries() {
        transactions.submit(binding(Request.binding(), Schedule.control()));
        transactions.submit(
                binding(Request.binding(ChangeRequest.ofFlags(ChangeRequest.CHANGE_PORT)), Schedule.control()));
        transactions.submit(binding(Request.binding().signedWith(CREDENTIALS), Schedule.control()));
        step();

        assertThat(sent).extracting(s -> s.bytes().length).containsOnly(Request.PADDED_SIZE);
        assertThat(sent)
                .allSatisfy(s -> assertThat(s.message().hasFingerprint()).isTrue());
    }

    @Test
    void aSignedRequestCarriesUsernameAndIntegrityUnderTheKey() throws Exception {
        transactions.submit(binding(Request.binding().signedWith(CREDENTIALS), Schedule.control()));
        step();

        MessageView view = new MessageView();
        view.decode(sent.getFirst().bytes());
        assertThat(view.username()).contains(new Username("alice:bob"));
        assertThat(view.verifyMessageIntegrity(MessageIntegrity.shortTermKey("secret")))
                .isTrue();
        assertThat(view.verifyMessageIntegrity(MessageIntegrity.shortTermKey("guess")))
                .isFalse();
    }

    @Test
    void aSignedRequestTakesAnAnswerSignedWithTheSameKey() {
        Transaction transaction = binding(Request.binding().signedWith(CREDENTIALS), Schedule.control());
        transactions.submit(transaction);
        step();

        deliver(endpoint, SERVER, signedSuccess(sent.getFirst().id(), MessageIntegrity.shortTermKey("secret")));

        assertThat(transaction.answer()).isPresent();
        assertThat(ignored).isEmpty();
    }

    @Test
    void eachTransactionHasAFreshRandomId() {
        for (int i = 0; i < 50; i++) {
            transactions.submit(binding(Request.binding(), Schedule.control()));
        }
        step();

        assertThat(sent.stream().map(Sent::id).distinct()).hasSize(50);
    }

    // ---- the 420 retry ----

    @Test
    void aServerThatDoesNotKnowPaddingGetsTheRequestAgainWithoutItUnderANewId() {
        Transaction transaction = binding(Request.binding(), Schedule.control());
        transactions.submit(transaction);
        step();
        clock.advanceMillis(100);
        step(); // a retransmission of the padded request is in flight too
        clock.advanceMillis(5);

        deliver(endpoint, SERVER, paddingUnknown(sent.getFirst().id()));

        assertThat(sent).hasSize(3);
        Sent retry = sent.get(2);
        assertThat(retry.at()).isEqualTo(clock.getAsLong());
        assertThat(retry.padded()).isFalse();
        assertThat(retry.id()).isNotEqualTo(sent.getFirst().id());
        assertThat(transaction.settled()).isFalse();
        assertThat(transaction.request().padded()).isFalse();
        assertThat(ignored).singleElement().satisfies(i -> {
            assertThat(i.reason()).isEqualTo(Reason.PADDING_UNKNOWN);
            assertThat(i.toString()).contains("does not understand PADDING (420), asked again without it");
        });

        // The schedule starts over from the retry; a late 420 to the padded round is a duplicate.
        deliver(endpoint, SERVER, paddingUnknown(sent.getFirst().id()));
        assertThat(transaction.settled()).isFalse();
        clock.advanceMillis(99);
        step();
        assertThat(sent).hasSize(3);
        clock.advanceMillis(1);
        step();
        assertThat(sent).hasSize(4);
        assertThat(sent.get(3).id()).isEqualTo(retry.id());

        deliver(endpoint, SERVER, success(retry.id()));
        assertThat(transaction.answer().orElseThrow().sinceFirstSend()).isEqualTo(Duration.ofMillis(100));
    }

    /** A 420 that cannot be cured by leaving PADDING out settles the transaction as rejected. */
    record Refusal(String name, Request request, int[] unknown) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refusal> refusals() {
        return Stream.of(
                new Refusal(
                        "420 naming PADDING to a request without it",
                        Request.binding().withoutPadding(),
                        new int[] {AttributeType.PADDING}),
                new Refusal(
                        "420 naming another attribute", Request.binding(), new int[] {AttributeType.CHANGE_REQUEST}),
                new Refusal("420 naming nothing", Request.binding(), new int[0]));
    }

    @ParameterizedTest(name = "{0}: rejected")
    @MethodSource("refusals")
    void other420sSettleAsRejected(Refusal refusal) {
        Transaction transaction = binding(refusal.request(), Schedule.control());
        transactions.submit(transaction);
        step();

        deliver(endpoint, SERVER, error(sent.getFirst().id(), ErrorCode.UNKNOWN_ATTRIBUTE, refusal.unknown()));

        assertThat(transaction.outcome()).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
            assertThat(r.code()).isEqualTo(420);
            assertThat(r.reason()).isEqualTo("Unknown Attribute");
            assertThat(r.response()).isPresent();
        });
        assertThat(sent).hasSize(1);
    }

    // ---- the answer validator ----

    /** Where a datagram arrives, from where, and what it holds. */
    record Delivery(boolean onOtherEndpoint, InetSocketAddress source, byte[] bytes) {}

    /** A datagram that must be set aside for {@code reason}, for a transaction sending {@code request}. */
    record Rejection(String name, Reason reason, Request request, Accept accept, BendFor bend) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface BendFor {
        Delivery datagram(TransactionId id);
    }

    static Stream<Rejection> rejections() {
        Request plain = Request.binding();
        Request signed = Request.binding().signedWith(CREDENTIALS);
        Accept usual = Accept.FROM_DESTINATION;
        return Stream.of(
                new Rejection("not STUN at all", Reason.MALFORMED, plain, usual, id -> fromServer("hello".getBytes())),
                new Rejection("truncated", Reason.MALFORMED, plain, usual, id -> {
                    byte[] good = success(id);
                    return fromServer(Arrays.copyOf(good, good.length - 4));
                }),
                new Rejection("no magic cookie", Reason.NO_MAGIC_COOKIE, plain, usual, id -> {
                    byte[] bytes = answer(
                            id,
                            MessageClass.SUCCESS_RESPONSE,
                            Method.BINDING,
                            false,
                            e -> e.addMappedAddress(MAPPED.getAddress(), MAPPED.getPort()));
                    bytes[4] ^= (byte) 0xFF;
                    return fromServer(bytes);
                }),
                new Rejection(
                        "another transaction id",
                        Reason.FOREIGN_TRANSACTION,
                        plain,
                        usual,
                        id -> fromServer(success(TransactionId.random()))),
                new Rejection(
                        "our id, another method",
                        Reason.WRONG_METHOD,
                        plain,
                        usual,
                        id -> fromServer(
                                answer(id, MessageClass.SUCCESS_RESPONSE, Method.SHARED_SECRET, true, e -> {}))),
                new Rejection(
                        "on another of our sockets",
                        Reason.WRONG_SOCKET,
                        plain,
                        usual,
                        id -> new Delivery(true, SERVER, success(id))),
                new Rejection(
                        "from another address",
                        Reason.WRONG_SOURCE,
                        plain,
                        usual,
                        id -> new Delivery(false, ELSEWHERE, success(id))),
                new Rejection(
                        "from another address, answering RESPONSE-PORT",
                        Reason.WRONG_SOURCE,
                        plain,
                        Accept.ON_ANY_SOCKET,
                        id -> new Delivery(true, ELSEWHERE, success(id))),
                new Rejection(
                        "a request instead of a response",
                        Reason.WRONG_CLASS,
                        plain,
                        usual,
                        id -> fromServer(answer(id, MessageClass.REQUEST, Method.BINDING, true, e -> {}))),
                new Rejection(
                        "a response where our own request was due",
                        Reason.WRONG_CLASS,
                        plain,
                        Accept.OWN_REQUEST,
                        id -> fromServer(success(id))),
                new Rejection(
                        "unsigned answer to a signed request",
                        Reason.BAD_INTEGRITY,
                        signed,
                        usual,
                        id -> fromServer(success(id))),
                new Rejection(
                        "answer signed with another key",
                        Reason.BAD_INTEGRITY,
                        signed,
                        usual,
                        id -> fromServer(signedSuccess(id, MessageIntegrity.shortTermKey("guess")))),
                new Rejection(
                        "error signed with another key",
                        Reason.BAD_INTEGRITY,
                        signed,
                        usual,
                        id -> fromServer(answer(
                                id,
                                MessageClass.ERROR_RESPONSE,
                                Method.BINDING,
                                true,
                                e -> e.addErrorCode(ErrorCode.UNAUTHENTICATED, "Unauthenticated")
                                        .addMessageIntegrity(MessageIntegrity.shortTermKey("guess"))))),
                new Rejection(
                        "Binding success without a mapped address",
                        Reason.NO_MAPPED_ADDRESS,
                        plain,
                        usual,
                        id -> fromServer(answer(
                                id, MessageClass.SUCCESS_RESPONSE, Method.BINDING, true, e -> e.addSoftware("empty")))),
                new Rejection(
                        "Binding success with an IPv6 mapped address on an IPv4 socket",
                        Reason.NO_MAPPED_ADDRESS,
                        plain,
                        usual,
                        id -> fromServer(answer(
                                id,
                                MessageClass.SUCCESS_RESPONSE,
                                Method.BINDING,
                                true,
                                e -> e.addXorMappedAddress(socket("::1", 1).getAddress(), 4000)))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("rejections")
    void aDatagramThatIsNotTheAnswerIsSetAsideWithItsReasonAndTheTransactionWaitsOn(Rejection rejection) {
        Transaction transaction =
                new Transaction("test", endpoint, SERVER, rejection.request(), Schedule.control(), rejection.accept());
        transactions.submit(transaction);
        step();
        Delivery bad = rejection.bend().datagram(sent.getFirst().id());

        deliver(bad.onOtherEndpoint() ? otherEndpoint : endpoint, bad.source(), bad.bytes());

        assertThat(transaction.settled()).isFalse();
        assertThat(ignored).singleElement().satisfies(i -> {
            assertThat(i.reason()).isEqualTo(rejection.reason());
            assertThat(i.text()).isNotBlank();
        });
    }

    @Test
    void everyReasonHasARowAbove() {
        // The 420 retry test above; the 401 and 438 retries in ChallengeRetryTest.
        Set<Reason> tested = EnumSet.of(Reason.PADDING_UNKNOWN, Reason.CHALLENGED, Reason.STALE_NONCE);
        rejections().map(Rejection::reason).forEach(tested::add);

        assertThat(tested).containsExactlyInAnyOrder(Reason.values());
    }

    @Test
    void reasonsReadAsEvidence() {
        Transaction transaction = binding(Request.binding(), Schedule.control());
        transactions.submit(transaction);
        step();
        TransactionId id = sent.getFirst().id();

        deliver(endpoint, SERVER, success(TransactionId.random()));
        deliver(endpoint, ELSEWHERE, success(id));
        deliver(endpoint, SERVER, answer(id, MessageClass.REQUEST, Method.BINDING, true, e -> {}));

        assertThat(ignored)
                .map(Ignored::toString)
                .containsExactly(
                        "client socket " + format(endpoint.local()) + ", from 127.0.0.1:3478: answer with a foreign"
                                + " transaction id ignored",
                        "test (to 127.0.0.1:3478 from " + format(endpoint.local())
                                + "): answer from 127.0.0.2:3479 instead of the address asked ignored",
                        "test (to 127.0.0.1:3478 from " + format(endpoint.local())
                                + "): a REQUEST instead of a response ignored");
    }

    // ---- which answers count ----

    @Test
    void changeRequestAnswersMayComeFromAnywhereResponsePortAnswersToAnySocket() {
        Transaction change = Transaction.of(
                "change",
                endpoint,
                SERVER,
                Request.binding(ChangeRequest.ofFlags(ChangeRequest.CHANGE_IP)),
                Schedule.control());
        Transaction responsePort = Transaction.of(
                "response port", endpoint, SERVER, Request.binding(new ResponsePort(40000)), Schedule.control());
        transactions.submit(change);
        transactions.submit(responsePort);
        step();

        deliver(endpoint, ELSEWHERE, success(sent.get(0).id()));
        deliver(otherEndpoint, SERVER, success(sent.get(1).id()));

        assertThat(change.accept()).isEqualTo(Accept.FROM_ANY_SOURCE);
        assertThat(change.outcome().answeredFrom(ELSEWHERE)).isTrue();
        assertThat(responsePort.accept()).isEqualTo(Accept.ON_ANY_SOCKET);
        assertThat(responsePort.answer().orElseThrow().receivedOn()).isEqualTo(otherEndpoint.local());
        assertThat(responsePort.request().padded()).as("RFC 5780 section 7.6").isFalse();
        assertThat(ignored).isEmpty();
    }

    @Test
    void theHairpinRequestArrivingBackIsItsOwnAnswer() {
        Transaction hairpin = new Transaction(
                "hairpin",
                endpoint,
                MAPPED,
                Request.binding().withoutPadding(),
                Schedule.control(),
                Accept.OWN_REQUEST);
        transactions.submit(hairpin);
        step();

        deliver(otherEndpoint, ELSEWHERE, sent.getFirst().bytes());

        assertThat(hairpin.outcome().answeredFrom(ELSEWHERE)).isTrue();
        assertThat(hairpin.answer().orElseThrow().mapped()).isEmpty();
    }

    @Test
    void severalTransactionsOnOneSocketAreToldApartByTheirIds() {
        List<Transaction> running = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            running.add(binding(Request.binding(), Schedule.control()));
            transactions.submit(running.getLast());
        }
        step();

        for (int i = 2; i >= 0; i--) {
            clock.advanceMillis(10);
            deliver(endpoint, SERVER, success(sent.get(i).id(), socket("127.0.0.1", 41000 + i)));
        }

        for (int i = 0; i < 3; i++) {
            Response response = running.get(i).answer().orElseThrow();
            assertThat(response.mapped()).contains(socket("127.0.0.1", 41000 + i));
            assertThat(response.sinceFirstSend()).isEqualTo(Duration.ofMillis(10L * (3 - i)));
        }
        List<Transaction> reported = new ArrayList<>();
        transactions.drainSettled(reported::add);
        assertThat(reported).containsExactly(running.get(2), running.get(1), running.get(0));
    }

    @Test
    void datagramsThatAnswerNothingGoToTheEndpointsOwnHandler() {
        List<Datagram> unsolicited = new ArrayList<>();
        endpoint.onUnsolicited(unsolicited::add);
        Transaction transaction = binding(Request.binding(), Schedule.control());
        transactions.submit(transaction);
        step();
        byte[] indication = answer(TransactionId.random(), MessageClass.INDICATION, Method.BINDING, true, e -> {});
        byte[] notStun = {(byte) 0x40, 0x00, 0x00, 0x04, 1, 2, 3, 4}; // a TURN ChannelData message, say

        deliver(endpoint, ELSEWHERE, indication);
        deliver(endpoint, ELSEWHERE, notStun);
        deliver(endpoint, SERVER, success(sent.getFirst().id()));

        assertThat(unsolicited).extracting(Datagram::bytes).containsExactly(indication, notStun);
        assertThat(unsolicited).allSatisfy(d -> assertThat(d.source()).isEqualTo(ELSEWHERE));
        assertThat(transaction.answer()).isPresent();
        assertThat(ignored).isEmpty();
    }

    // ---- refusals, cancels, duplicates ----

    @Test
    void icmpOnASocketEndsEveryTransactionRunningOnItAndNoOther() {
        Transaction one = binding(Request.binding(), Schedule.control());
        Transaction two = binding(Request.binding(), Schedule.control());
        Transaction elsewhere = new Transaction(
                "elsewhere", otherEndpoint, SERVER, Request.binding(), Schedule.control(), Accept.FROM_DESTINATION);
        transactions.submit(one);
        transactions.submit(two);
        transactions.submit(elsewhere);
        step();

        transactions.refused(endpoint, "ICMP port unreachable");

        assertThat(one.outcome()).isEqualTo(new Outcome.Refused("ICMP port unreachable from 127.0.0.1:3478"));
        assertThat(two.outcome()).isInstanceOf(Outcome.Refused.class);
        assertThat(elsewhere.settled()).isFalse();
    }

    @Test
    void aSendTheKernelRefusesEndsTheTransaction() {
        Transactions refusing = new Transactions(
                clock,
                (from, to, datagram) -> {
                    throw new PortUnreachableException("connection refused");
                },
                Optional.empty(),
                ignored::add);
        Transaction transaction = binding(Request.binding(), Schedule.control());
        refusing.submit(transaction);

        refusing.poll();

        assertThat(transaction.outcome()).isEqualTo(new Outcome.Refused("ICMP port unreachable from 127.0.0.1:3478"));
    }

    @Test
    void aCancelledTransactionIsUnansweredAndCutShortAndLaterAnswersAreDuplicates() {
        Transaction transaction = binding(Request.binding(), Schedule.control());
        transactions.submit(transaction);
        step();

        transactions.cancel(transaction);
        deliver(endpoint, SERVER, success(sent.getFirst().id()));

        assertThat(transaction.outcome()).isEqualTo(new Outcome.Unanswered(1, false));
        assertThat(ignored).isEmpty();
    }

    @Test
    void aSecondRoundCountsTheSendsOfBoth() {
        Transaction first = binding(Request.binding(), Schedule.control().within(Duration.ofMillis(10)));
        transactions.submit(first);
        runUntilSettled(first);
        Transaction second = first.again(Schedule.afterRtt(Duration.ofMillis(1)));
        transactions.submit(second);

        runUntilSettled(second);

        assertThat(second.previous()).contains(first);
        assertThat(second.combinedOutcome()).contains(new Outcome.Unanswered(11, true));
        assertThat(sent.get(1).id()).isNotEqualTo(sent.get(0).id());
        assertThat(sent.get(1).padded()).isTrue();
    }

    @Test
    void aTransactionSubmittedForLaterStartsThenOrWhenExpedited() {
        Transaction late = new Transaction(
                "late", otherEndpoint, SERVER, Request.binding(), Schedule.control(), Accept.FROM_DESTINATION);
        Transaction hurried = binding(Request.binding(), Schedule.control());
        transactions.submitAt(late, START + 500 * MS);
        transactions.submitAt(hurried, START + 500 * MS);

        assertThat(transactions.poll()).isEqualTo(START + 500 * MS);
        transactions.expedite(hurried);
        step();
        clock.set(START + 500 * MS);
        step();

        assertThat(sent.getFirst().from()).isEqualTo(endpoint);
        assertThat(sent.getFirst().at()).isEqualTo(START);
        assertThat(sent.stream().filter(s -> s.from() == otherEndpoint))
                .singleElement()
                .extracting(Sent::at)
                .isEqualTo(START + 500 * MS);
    }

    // ---- helpers ----

    private Transaction binding(Request request, Schedule schedule) {
        return Transaction.of("test", endpoint, SERVER, request, schedule);
    }

    private void step() {
        transactions.poll();
    }

    /** Moves the clock from one due time to the next until {@code transaction} settles. */
    private void runUntilSettled(Transaction transaction) {
        long wake = transactions.poll();
        while (!transaction.settled()) {
            assertThat(wake).isNotEqualTo(Long.MAX_VALUE);
            clock.set(wake);
            wake = transactions.poll();
        }
    }

    private void deliver(Endpoint on, InetSocketAddress source, byte[] bytes) {
        transactions.received(on, source, bytes, bytes.length);
    }

    private static Delivery fromServer(byte[] bytes) {
        return new Delivery(false, SERVER, bytes);
    }

    private static byte[] success(TransactionId id) {
        return success(id, MAPPED);
    }

    private static byte[] success(TransactionId id, InetSocketAddress mapped) {
        return answer(
                id,
                MessageClass.SUCCESS_RESPONSE,
                Method.BINDING,
                true,
                e -> e.addXorMappedAddress(mapped.getAddress(), mapped.getPort()));
    }

    private static byte[] signedSuccess(TransactionId id, byte[] key) {
        return answer(
                id,
                MessageClass.SUCCESS_RESPONSE,
                Method.BINDING,
                true,
                e -> e.addXorMappedAddress(MAPPED.getAddress(), MAPPED.getPort())
                        .addMessageIntegrity(key));
    }

    private static byte[] paddingUnknown(TransactionId id) {
        return error(id, ErrorCode.UNKNOWN_ATTRIBUTE, new int[] {AttributeType.PADDING});
    }

    private static byte[] error(TransactionId id, int code, int[] unknown) {
        return answer(id, MessageClass.ERROR_RESPONSE, Method.BINDING, true, e -> {
            e.addErrorCode(code, "Unknown Attribute");
            if (unknown.length > 0) {
                e.addUnknownAttributes(unknown, unknown.length);
            }
        });
    }

    private static byte[] answer(
            TransactionId id,
            MessageClass messageClass,
            Method method,
            boolean fingerprint,
            Consumer<MessageEncoder> attributes) {
        byte[] buf = new byte[1500];
        MessageEncoder encoder = new MessageEncoder().begin(buf, 0, messageClass, method, id);
        attributes.accept(encoder);
        return Arrays.copyOf(buf, encoder.finish(fingerprint));
    }

    private static String format(InetSocketAddress address) {
        return dev.natcheck.address.AddressText.format(address);
    }

    private static InetSocketAddress socket(String ip, int port) {
        return new InetSocketAddress(
                dev.natcheck.address.AddressText.parseAddress(ip).orElseThrow(), port);
    }
}
