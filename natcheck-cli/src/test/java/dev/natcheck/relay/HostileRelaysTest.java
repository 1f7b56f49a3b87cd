package dev.natcheck.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.probe.NameResolver;
import dev.natcheck.stun.ErrorCode;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.Method;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Relays that do not work, each with its clear line in the report and never a crash or a hang: a
 * silent one, one that answers garbage, a STUN server that answers everything with a Binding
 * success, one that grants an allocation without an address, one that refuses with 486, a name
 * that does not resolve.
 */
class HostileRelaysTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final TurnCredentials CREDENTIALS = new TurnCredentials.LongTerm("alice", "secret");

    @Test
    void aSilentRelayIsNoAnswerAfterTheTimeoutAndNothingIsReleased() throws Exception {
        try (HostileRelay relay = HostileRelay.silent()) {
            RelayOutcome o = single(relay.address());

            assertThat(o.result()).isEqualTo(RelayResult.NO_ANSWER);
            assertThat(o.detail()).matches("no answer to \\d+ Allocate requests in 1\\.0 s");
            assertThat(o.release()).isEqualTo(Release.NOTHING_ALLOCATED);
            assertThat(relay.received()).isGreaterThan(1);
        }
    }

    @Test
    void garbageAnswersAreNotTurnNamingTheFirst() throws Exception {
        try (HostileRelay relay = HostileRelay.answering(request -> Optional.of(new byte[] {(byte) 0xFF, 1, 2, 3}))) {
            RelayOutcome o = single(relay.address());

            assertThat(o.result()).isEqualTo(RelayResult.NOT_TURN);
            assertThat(o.detail())
                    .matches("\\d+ datagrams came back, none a usable TURN answer \\(first: a datagram that is neither"
                            + " STUN nor ChannelData \\(first byte 0xff\\) ignored\\)");
        }
    }

    @Test
    void aStunServerAnsweringEverythingWithABindingSuccessIsNotTurn() throws Exception {
        try (HostileRelay relay = HostileRelay.answering(
                request -> Optional.of(answer(request, MessageClass.SUCCESS_RESPONSE, Method.BINDING, e -> {})))) {
            RelayOutcome o = single(relay.address());

            assertThat(o.result()).isEqualTo(RelayResult.NOT_TURN);
            assertThat(o.detail()).contains("answer for method Binding instead of Allocate ignored");
        }
    }

    @Test
    void anAllocationWithoutARelayedAddressIsNotTurn() throws Exception {
        try (HostileRelay relay = HostileRelay.answering(
                request -> Optional.of(answer(request, MessageClass.SUCCESS_RESPONSE, Method.ALLOCATE, e -> {})))) {
            RelayOutcome o = single(relay.address());

            assertThat(o.result()).isEqualTo(RelayResult.NOT_TURN);
            assertThat(o.detail()).isEqualTo("the Allocate success names no XOR-RELAYED-ADDRESS");
            assertThat(o.release()).isEqualTo(Release.NOTHING_ALLOCATED);
        }
    }

    @Test
    void aQuotaErrorIsRejectedWithTheCodeTheRelaysWordsAndWhatItMeans() throws Exception {
        try (HostileRelay relay = HostileRelay.answering(request -> Optional.of(answer(
                request,
                MessageClass.ERROR_RESPONSE,
                Method.ALLOCATE,
                e -> e.addErrorCode(ErrorCode.ALLOCATION_QUOTA_REACHED, "Allocation Quota Reached\u001b[2J"))))) {
            RelayOutcome o = single(relay.address());

            assertThat(o.result()).isEqualTo(RelayResult.REJECTED);
            assertThat(o.detail())
                    .isEqualTo("Allocate refused: 486 Allocation Quota Reached\\x1b[2J (this user holds as many"
                            + " allocations as the relay allows)");
        }
    }

    @Test
    void aNameThatDoesNotResolveIsUnresolvedAndTheOthersAreStillChecked() throws Exception {
        try (HostileRelay relay = HostileRelay.silent()) {
            RelayReport report = survey(List.of("turn.invalid", relay.address()));

            assertThat(report.outcomes())
                    .extracting(RelayOutcome::result)
                    .containsExactly(RelayResult.UNRESOLVED, RelayResult.NO_ANSWER);
            assertThat(report.outcomes().getFirst().detail()).isEqualTo("the name does not resolve");
        }
    }

    private static RelayOutcome single(String relay) throws Exception {
        return survey(List.of(relay)).outcomes().getFirst();
    }

    private static RelayReport survey(List<String> relays) throws Exception {
        NameResolver noDns = host -> {
            throw new UnknownHostException(host);
        };
        return new RelaySurvey(noDns)
                .run(
                        relays.stream().map(TurnServer::parse).toList(),
                        new RelaySurvey.Settings(TIMEOUT, Optional.empty(), Optional.of(CREDENTIALS), "test"));
    }

    private static byte[] answer(
            MessageView request, MessageClass messageClass, Method method, Consumer<MessageEncoder> attributes) {
        byte[] buf = new byte[512];
        MessageEncoder encoder = new MessageEncoder().begin(buf, 0, messageClass, method, request.transactionId());
        attributes.accept(encoder);
        return Arrays.copyOf(buf, encoder.finish(true));
    }
}
