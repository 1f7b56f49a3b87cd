package dev.natcheck.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.stun.Challenge;
import dev.natcheck.stun.ErrorCode;
import dev.natcheck.stun.Lifetime;
import dev.natcheck.stun.LongTermCredentials;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.PasswordAlgorithm;
import dev.natcheck.stun.PasswordAlgorithms;
import dev.natcheck.stun.RequestedTransport;
import dev.natcheck.stun.SecurityFeatures;
import dev.natcheck.stun.TransactionId;
import dev.natcheck.transaction.Ignored.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine answering long-term credential challenges (RFC 8489 section 9.2.5), on a hand-moved
 * clock: a 401 to an unsigned request brings it back signed, a 438 brings it back with the new
 * nonce, a 401 to a signed request settles it (wrong credentials), and every round is bounded.
 */
class ChallengeRetryTest {

    private static final long MS = 1_000_000L;
    private static final long START = 7_000 * MS;
    private static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3478);
    private static final LongTermLogin LOGIN = new LongTermLogin("alice", "wonder-land 7");
    private static final String REALM = "natcheck.test";

    private record Sent(byte[] bytes, long at) {
        MessageView view() {
            MessageView view = new MessageView();
            try {
                view.decode(bytes);
            } catch (Exception e) {
                throw new AssertionError("the engine sent something undecodable", e);
            }
            return view;
        }

        TransactionId id() {
            return view().transactionId();
        }
    }

    private final FakeClock clock = new FakeClock(START);
    private final List<Sent> sent = new ArrayList<>();
    private final List<Ignored> ignored = new ArrayList<>();
    private final Transactions transactions = new Transactions(
            clock,
            (from, to, datagram) -> {
                byte[] bytes = new byte[datagram.remaining()];
                datagram.get(bytes);
                sent.add(new Sent(bytes, clock.getAsLong()));
            },
            Optional.empty(),
            ignored::add);
    private Endpoint endpoint;

    @BeforeEach
    void open() throws IOException {
        endpoint = Endpoint.open("relay", SERVER.getAddress(), Optional.empty(), Optional.empty());
    }

    @AfterEach
    void close() {
        endpoint.close();
    }

    @Test
    void a401ToTheUnsignedRequestBringsItBackSignedUnderANewIdAndTheTimeCoversBothRounds() {
        Transaction allocate = allocate().answeringChallenges(LOGIN);
        transactions.submit(allocate);
        transactions.poll();
        clock.advanceMillis(3);

        deliver(challenge(sent.getFirst().id(), ErrorCode.UNAUTHENTICATED, "nonce-1", Optional.empty()));

        assertThat(sent).hasSize(2);
        MessageView retry = sent.get(1).view();
        assertThat(retry.transactionId()).isNotEqualTo(sent.getFirst().id());
        assertThat(retry.username().orElseThrow().value()).isEqualTo("alice");
        assertThat(retry.realm().orElseThrow().value()).isEqualTo(REALM);
        assertThat(retry.nonce().orElseThrow().value()).isEqualTo("nonce-1");
        assertThat(retry.has(dev.natcheck.stun.AttributeType.REQUESTED_TRANSPORT))
                .isTrue();
        LongTermCredentials expected = credentials("nonce-1", Optional.empty());
        assertThat(expected.verify(retry))
                .as("sealed with MD5(alice:realm:password)")
                .isTrue();
        assertThat(retry.hasFingerprint()).isTrue();
        assertThat(ignored).singleElement().satisfies(i -> {
            assertThat(i.reason()).isEqualTo(Reason.CHALLENGED);
            assertThat(i.text())
                    .isEqualTo("asked for credentials (401, realm \"natcheck.test\"), asked again with them");
        });
        assertThat(allocate.settled()).isFalse();

        clock.advanceMillis(2);
        deliver(signedSuccess(retry.transactionId(), expected));

        assertThat(allocate.answer()).isPresent();
        assertThat(allocate.sinceFirstRound()).contains(Duration.ofMillis(5));
        assertThat(allocate.answer().orElseThrow().sinceFirstSend()).isEqualTo(Duration.ofMillis(2));
        assertThat(allocate.request().credentials().flatMap(Credentials::longTerm))
                .hasValueSatisfying(c -> assertThat(c.nonce()).isEqualTo("nonce-1"));
    }

    @Test
    void a438BringsTheSignedRequestBackWithTheNewNonce() {
        Transaction refresh = signedRefresh("nonce-1");
        transactions.submit(refresh);
        transactions.poll();

        deliver(challenge(sent.getFirst().id(), ErrorCode.STALE_NONCE, "nonce-2", Optional.empty()));

        assertThat(sent).hasSize(2);
        MessageView retry = sent.get(1).view();
        assertThat(retry.nonce().orElseThrow().value()).isEqualTo("nonce-2");
        assertThat(credentials("nonce-2", Optional.empty()).verify(retry)).isTrue();
        assertThat(ignored).singleElement().extracting(Ignored::reason).isEqualTo(Reason.STALE_NONCE);
        assertThat(refresh.settled()).isFalse();
    }

    @Test
    void a401ToASignedRequestSettlesItTheCredentialsAreWrong() {
        Transaction refresh = signedRefresh("nonce-1");
        transactions.submit(refresh);
        transactions.poll();

        deliver(challenge(sent.getFirst().id(), ErrorCode.UNAUTHENTICATED, "nonce-9", Optional.empty()));

        assertThat(sent).hasSize(1);
        assertThat(refresh.outcome()).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
            assertThat(r.code()).isEqualTo(401);
            assertThat(r.response()).isPresent();
        });
    }

    @Test
    void withoutALoginA401SettlesTheTransactionAsBefore() {
        Transaction allocate = allocate();
        transactions.submit(allocate);
        transactions.poll();

        deliver(challenge(sent.getFirst().id(), ErrorCode.UNAUTHENTICATED, "nonce-1", Optional.empty()));

        assertThat(sent).hasSize(1);
        assertThat(allocate.outcome()).isInstanceOf(Outcome.Rejected.class);
        assertThat(ignored).isEmpty();
    }

    @Test
    void a401WithoutRealmOrNonceCannotBeAnsweredAndSettles() {
        Transaction allocate = allocate().answeringChallenges(LOGIN);
        transactions.submit(allocate);
        transactions.poll();

        deliver(answer(
                sent.getFirst().id(),
                MessageClass.ERROR_RESPONSE,
                e -> e.addErrorCode(ErrorCode.UNAUTHENTICATED, "Unauthorized")));

        assertThat(sent).hasSize(1);
        assertThat(allocate.outcome())
                .isInstanceOfSatisfying(
                        Outcome.Rejected.class, r -> assertThat(r.code()).isEqualTo(401));
    }

    @Test
    void staleNoncesAreAnsweredAtMostThreeTimes() {
        Transaction allocate = allocate().answeringChallenges(LOGIN);
        transactions.submit(allocate);
        transactions.poll();
        deliver(challenge(sent.getLast().id(), ErrorCode.UNAUTHENTICATED, "nonce-0", Optional.empty()));

        for (int i = 1; i <= Transaction.MAX_CHALLENGE_ROUNDS; i++) {
            deliver(challenge(sent.getLast().id(), ErrorCode.STALE_NONCE, "nonce-" + i, Optional.empty()));
        }

        assertThat(sent).hasSize(1 + Transaction.MAX_CHALLENGE_ROUNDS); // the first and three signed rounds
        assertThat(allocate.outcome())
                .isInstanceOfSatisfying(
                        Outcome.Rejected.class, r -> assertThat(r.code()).isEqualTo(438));
    }

    @Test
    void offeredPasswordAlgorithmsAreEchoedAndTheRequestSealedWithSha256() {
        Transaction allocate = allocate().answeringChallenges(LOGIN);
        transactions.submit(allocate);
        transactions.poll();
        PasswordAlgorithms offer = PasswordAlgorithms.of(PasswordAlgorithm.SHA_256, PasswordAlgorithm.MD5);
        String nonce = new SecurityFeatures(SecurityFeatures.PASSWORD_ALGORITHMS).cookie() + "abcdef";

        deliver(challenge(sent.getFirst().id(), ErrorCode.UNAUTHENTICATED, nonce, Optional.of(offer)));

        MessageView retry = sent.get(1).view();
        assertThat(retry.passwordAlgorithms()).contains(offer);
        assertThat(retry.hasMessageIntegritySha256()).isTrue();
        assertThat(retry.hasMessageIntegrity()).isFalse();
        LongTermCredentials expected = credentials(nonce, Optional.of(offer));
        assertThat(expected.sha256()).isTrue();
        assertThat(expected.verify(retry)).isTrue();

        deliver(signedSuccess(retry.transactionId(), expected));
        assertThat(allocate.answer()).isPresent();
    }

    @Test
    void aSuccessNotSealedWithTheLongTermKeyIsIgnored() {
        Transaction refresh = signedRefresh("nonce-1");
        transactions.submit(refresh);
        transactions.poll();
        LongTermCredentials wrong = LongTermCredentials.answer(
                new Challenge(401, REALM, "nonce-1", Optional.empty()), "alice", "not the password");

        deliver(signedSuccess(sent.getFirst().id(), wrong));

        assertThat(refresh.settled()).isFalse();
        assertThat(ignored).singleElement().extracting(Ignored::reason).isEqualTo(Reason.BAD_INTEGRITY);
    }

    // ---- helpers ----

    private Transaction allocate() {
        Request request = Request.of(Method.ALLOCATE, new RequestedTransport(RequestedTransport.UDP));
        return Transaction.of("allocate", endpoint, SERVER, request, Schedule.control());
    }

    private Transaction signedRefresh(String nonce) {
        Request request = Request.of(Method.REFRESH, new Lifetime(600))
                .signedWith(Credentials.longTerm(credentials(nonce, Optional.empty())));
        return Transaction.of("refresh", endpoint, SERVER, request, Schedule.control())
                .answeringChallenges(LOGIN);
    }

    private static LongTermCredentials credentials(String nonce, Optional<PasswordAlgorithms> offer) {
        return LongTermCredentials.answer(new Challenge(401, REALM, nonce, offer), LOGIN.username(), LOGIN.password());
    }

    private void deliver(byte[] bytes) {
        transactions.received(endpoint, SERVER, bytes, bytes.length);
    }

    private byte[] challenge(TransactionId id, int code, String nonce, Optional<PasswordAlgorithms> offer) {
        Method method = sent.getLast().view().method();
        return answer(id, method, MessageClass.ERROR_RESPONSE, e -> {
            e.addErrorCode(code, code == 401 ? "Unauthorized" : "Stale Nonce")
                    .addRealm(REALM)
                    .addNonce(nonce);
            offer.ifPresent(e::addPasswordAlgorithms);
        });
    }

    private byte[] signedSuccess(TransactionId id, LongTermCredentials credentials) {
        return answer(id, MessageClass.SUCCESS_RESPONSE, e -> e.addMessageIntegrity(credentials));
    }

    private byte[] answer(TransactionId id, MessageClass messageClass, Consumer<MessageEncoder> attributes) {
        Method method = sent.getLast().view().method();
        return answer(id, method, messageClass, attributes);
    }

    private static byte[] answer(
            TransactionId id, Method method, MessageClass messageClass, Consumer<MessageEncoder> attributes) {
        byte[] buf = new byte[1500];
        MessageEncoder encoder = new MessageEncoder().begin(buf, 0, messageClass, method, id);
        attributes.accept(encoder);
        return Arrays.copyOf(buf, encoder.finish(true));
    }
}
