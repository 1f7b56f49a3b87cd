package dev.natcheck.probe;

import static dev.natcheck.probe.FakeStunServer.honest;
import static dev.natcheck.probe.FakeStunServer.ip;
import static dev.natcheck.probe.FakeStunServer.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.stun.AttributeType;
import dev.natcheck.stun.ErrorCode;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.TransactionId;
import dev.natcheck.transaction.Request;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The real UDP stage against scripted servers on loopback: honest, hostile, silent, closed. */
class StunUdpStageTest {

    private static final ProbeTarget LOOPBACK = new ProbeTarget("lo", Family.IPV4, ip("127.0.0.1"), false, true);
    private static final Duration SHORT = Duration.ofMillis(400);

    private final StunUdpStage stage = new StunUdpStage();

    @Test
    void anHonestServerGivesTheLocalSocketAsMappedAddress() throws Exception {
        try (FakeStunServer server = FakeStunServer.start("127.0.0.1", (r, out) -> out.send(honest(r)))) {
            UdpStage.Result result = stage.bind(LOOPBACK, List.of(server.resolved()), Deadline.after(SHORT));

            assertThat(result).isInstanceOf(UdpStage.Bound.class);
            UdpStage.Bound bound = (UdpStage.Bound) result;
            assertThat(bound.mapped()).isEqualTo(bound.local());
            assertThat(bound.local().getAddress()).isEqualTo(ip("127.0.0.1"));
            assertThat(bound.server()).isEqualTo(server.resolved());
            assertThat(bound.rtt()).isPositive();
            assertThat(bound.mappingVariesByDestination()).isEmpty();
            assertThat(bound.notes()).anySatisfy(n -> assertThat(n).contains("mapping behaviour not tested"));
            assertThat(server.requests.getFirst().bytes()).hasSize(Request.PADDED_SIZE);
            assertThat(server.requests.getFirst().padded()).isTrue();
        }
    }

    /** A hostile answer, the evidence line it must leave, and the script that sends it. */
    record Hostile(String name, String note, FakeStunServer.Script script) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Hostile> hostileAnswers() {
        return Stream.of(
                new Hostile(
                        "wrong transaction id",
                        "foreign transaction id",
                        (r, out) -> out.send(honest(new FakeStunServer.Request(
                                r.bytes(), r.source(), TransactionId.random(), r.number(), r.padded())))),
                new Hostile(
                        "answer from another source address",
                        "answers from any other address are dropped",
                        (r, out) -> out.sendFromOtherSocket(honest(r))),
                new Hostile("truncated answer", "malformed answer ignored", (r, out) -> {
                    byte[] good = honest(r);
                    out.send(Arrays.copyOf(good, good.length - 6));
                }),
                new Hostile(
                        "unknown address family",
                        "address family 0x03",
                        (r, out) -> out.send(withoutFingerprint(r, bytes -> {
                            bytes[MESSAGE_HEADER + 5] = 0x03; // family byte of the first attribute's value
                            return bytes;
                        }))),
                new Hostile(
                        "no magic cookie",
                        "without the STUN magic cookie",
                        (r, out) -> out.send(withoutFingerprint(r, bytes -> {
                            bytes[4] ^= (byte) 0xFF;
                            return bytes;
                        }))),
                new Hostile(
                        "a request instead of a response",
                        "instead of a response",
                        (r, out) -> out.send(FakeStunServer.response(r.id(), MessageClass.REQUEST, e -> {}))),
                new Hostile(
                        "success without any mapped address",
                        "without XOR-MAPPED-ADDRESS or MAPPED-ADDRESS",
                        (r, out) -> out.send(success(r, e -> e.addSoftware("empty")))),
                new Hostile(
                        "IPv6 mapped address on an IPv4 probe",
                        "is not ipv4",
                        (r, out) -> out.send(success(r, e -> e.addXorMappedAddress(ip("2001:db8::1"), 4000)))),
                new Hostile(
                        "garbage",
                        "malformed answer ignored",
                        (r, out) -> out.send("hello, this is not STUN".getBytes())));
    }

    @ParameterizedTest(name = "{0} alone: no binding, noted")
    @MethodSource("hostileAnswers")
    void hostileAnswersAloneNeverYieldABinding(Hostile hostile) throws Exception {
        try (FakeStunServer server = FakeStunServer.start("127.0.0.1", hostile.script())) {
            UdpStage.Result result = stage.bind(LOOPBACK, List.of(server.resolved()), Deadline.after(SHORT));

            // An answer from the server's own address proves UDP reaches it, usable or not; one
            // from elsewhere never reaches the connected socket, so that is silence.
            assertThat(result)
                    .isInstanceOf(
                            hostile.name().equals("answer from another source address")
                                    ? UdpStage.TimedOut.class
                                    : UdpStage.Unusable.class);
            assertThat(result.notes()).anySatisfy(n -> assertThat(n).contains(hostile.note()));
            assertThat(server.requests).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0}, then an honest answer: the honest one wins")
    @MethodSource("hostileAnswers")
    void hostileAnswersAreSkippedAndTheHonestOneStillCounts(Hostile hostile) throws Exception {
        try (FakeStunServer server = FakeStunServer.start("127.0.0.1", (r, out) -> {
            hostile.script().answer(r, out);
            out.send(honest(r));
        })) {
            UdpStage.Result result = stage.bind(LOOPBACK, List.of(server.resolved()), Deadline.after(SHORT));

            assertThat(result).isInstanceOf(UdpStage.Bound.class);
            UdpStage.Bound bound = (UdpStage.Bound) result;
            assertThat(bound.mapped()).isEqualTo(bound.local());
        }
    }

    @Test
    void mappedDifferingFromXorMappedUsesXorAndSaysSo() throws Exception {
        try (FakeStunServer server = FakeStunServer.start(
                "127.0.0.1",
                (r, out) -> out.send(success(
                        r,
                        e -> e.addXorMappedAddress(
                                        r.source().getAddress(), r.source().getPort())
                                .addMappedAddress(ip("203.0.113.66"), 1234))))) {
            UdpStage.Bound bound =
                    (UdpStage.Bound) stage.bind(LOOPBACK, List.of(server.resolved()), Deadline.after(SHORT));

            assertThat(bound.mapped()).isEqualTo(bound.local());
            assertThat(bound.notes())
                    .anySatisfy(n -> assertThat(n)
                            .contains("MAPPED-ADDRESS 203.0.113.66:1234 differs from XOR-MAPPED-ADDRESS")
                            .contains("XOR-MAPPED-ADDRESS used"));
        }
    }

    @Test
    void anRfc3489ServerWithOnlyMappedAddressIsUnderstood() throws Exception {
        try (FakeStunServer server = FakeStunServer.start(
                "127.0.0.1",
                (r, out) -> out.send(success(
                        r,
                        e -> e.addMappedAddress(
                                r.source().getAddress(), r.source().getPort()))))) {
            UdpStage.Bound bound =
                    (UdpStage.Bound) stage.bind(LOOPBACK, List.of(server.resolved()), Deadline.after(SHORT));

            assertThat(bound.mapped()).isEqualTo(bound.local());
            assertThat(bound.notes()).anySatisfy(n -> assertThat(n).contains("only MAPPED-ADDRESS"));
        }
    }

    @Test
    void anErrorAnswerEndsThatServerAsUnusableNotSilent() throws Exception {
        try (FakeStunServer server = FakeStunServer.start(
                "127.0.0.1",
                (r, out) -> out.send(FakeStunServer.response(
                        r.id(),
                        MessageClass.ERROR_RESPONSE,
                        e -> e.addErrorCode(ErrorCode.SERVER_ERROR, "Server Error"))))) {
            UdpStage.Result result = stage.bind(LOOPBACK, List.of(server.resolved()), Deadline.after(SHORT));

            assertThat(result).isInstanceOf(UdpStage.Unusable.class);
            assertThat(result.notes()).anySatisfy(n -> assertThat(n).contains("answered with error 500 Server Error"));
            assertThat(server.requests).hasSize(1);
        }
    }

    @Test
    void aServerThatDoesNotKnowPaddingIsAskedAgainWithoutIt() throws Exception {
        try (FakeStunServer server = FakeStunServer.start("127.0.0.1", (r, out) -> {
            if (r.padded()) {
                out.send(FakeStunServer.response(
                        r.id(),
                        MessageClass.ERROR_RESPONSE,
                        e -> e.addErrorCode(ErrorCode.UNKNOWN_ATTRIBUTE, "Unknown Attribute")
                                .addUnknownAttributes(new int[] {AttributeType.PADDING}, 1)));
            } else {
                out.send(honest(r));
            }
        })) {
            UdpStage.Result result = stage.bind(LOOPBACK, List.of(server.resolved()), Deadline.after(SHORT));

            assertThat(result).isInstanceOf(UdpStage.Bound.class);
            assertThat(server.requests)
                    .extracting(FakeStunServer.Request::padded)
                    .containsExactly(true, false);
            assertThat(server.requests.get(1).id())
                    .isNotEqualTo(server.requests.get(0).id());
            assertThat(result.notes()).anySatisfy(n -> assertThat(n).contains("does not understand PADDING"));
        }
    }

    @Test
    void retransmitsTheSameTransactionUntilAnswered() throws Exception {
        try (FakeStunServer server = FakeStunServer.start("127.0.0.1", (r, out) -> {
            if (r.number() >= 3) {
                out.send(honest(r));
            }
        })) {
            UdpStage.Result result =
                    stage.bind(LOOPBACK, List.of(server.resolved()), Deadline.after(Duration.ofSeconds(2)));

            assertThat(result).isInstanceOf(UdpStage.Bound.class);
            assertThat(server.requests)
                    .hasSize(3)
                    .extracting(FakeStunServer.Request::id)
                    .containsOnly(server.requests.getFirst().id());
        }
    }

    @Test
    void icmpPortUnreachableEndsTheStageBeforeTheDeadline() throws Exception {
        InetSocketAddress closed;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(ip("127.0.0.1"), 0))) {
            closed = (InetSocketAddress) socket.getLocalSocketAddress();
        }
        ResolvedServer server = new ResolvedServer(ServerSpec.parse("127.0.0.1:" + closed.getPort()), closed);

        UdpStage.Result result = stage.bind(LOOPBACK, List.of(server), Deadline.after(Duration.ofSeconds(30)));

        assertThat(result).isInstanceOf(UdpStage.Unreachable.class);
        assertThat(result.notes()).anySatisfy(n -> assertThat(n).contains("ICMP port unreachable"));
    }

    @Test
    void theFirstValidAnswerWinsWhileOtherServersStaySilent() throws Exception {
        try (FakeStunServer silent = FakeStunServer.start("127.0.0.1", (r, out) -> {});
                FakeStunServer honest = FakeStunServer.start("127.0.0.1", (r, out) -> out.send(honest(r)))) {
            UdpStage.Bound bound = (UdpStage.Bound)
                    stage.bind(LOOPBACK, List.of(silent.resolved(), honest.resolved()), Deadline.after(SHORT));

            assertThat(bound.server()).isEqualTo(honest.resolved());
            assertThat(silent.requests).isNotEmpty();
        }
    }

    @Test
    void otherAddressWithTheSameMappingMeansEndpointIndependentMapping() throws Exception {
        try (FakeStunServer alternate = FakeStunServer.start("127.0.0.2", (r, out) -> out.send(honest(r)));
                FakeStunServer primary = FakeStunServer.start(
                        "127.0.0.1",
                        (r, out) -> out.send(success(
                                r,
                                e -> e.addXorMappedAddress(
                                                r.source().getAddress(),
                                                r.source().getPort())
                                        .addOtherAddress(
                                                alternate.address().getAddress(),
                                                alternate.address().getPort()))))) {
            UdpStage.Bound bound =
                    (UdpStage.Bound) stage.bind(LOOPBACK, List.of(primary.resolved()), Deadline.after(SHORT));

            assertThat(bound.mappingVariesByDestination()).contains(false);
            assertThat(alternate.requests).hasSize(1);
            // The symmetric check must come from the same socket as the first binding.
            assertThat(alternate.requests.getFirst().source()).isEqualTo(bound.local());
            assertThat(bound.notes())
                    .anySatisfy(n -> assertThat(n)
                            .contains("second binding to OTHER-ADDRESS 127.0.0.2:")
                            .contains("the same mapping"));
        }
    }

    @Test
    void ipv6OtherAddressIsAskedFromTheSameSocket() throws Exception {
        ProbeTarget v6 = new ProbeTarget("lo", Family.IPV6, ip("::1"), false, true);
        try (FakeStunServer alternate = FakeStunServer.start("::1", (r, out) -> out.send(honest(r)));
                FakeStunServer primary = FakeStunServer.start(
                        "::1",
                        (r, out) -> out.send(success(
                                r,
                                e -> e.addXorMappedAddress(
                                                r.source().getAddress(),
                                                r.source().getPort())
                                        .addOtherAddress(
                                                alternate.address().getAddress(),
                                                alternate.address().getPort()))))) {
            UdpStage.Bound bound = (UdpStage.Bound) stage.bind(v6, List.of(primary.resolved()), Deadline.after(SHORT));

            assertThat(bound.mappingVariesByDestination()).contains(false);
            assertThat(alternate.requests.getFirst().source()).isEqualTo(bound.local());
        }
    }

    @Test
    void otherAddressSeeingAnotherPortMeansTheMappingVaries() throws Exception {
        try (FakeStunServer alternate = FakeStunServer.start(
                        "127.0.0.2",
                        (r, out) -> out.send(success(
                                r,
                                e -> e.addXorMappedAddress(
                                        r.source().getAddress(), r.source().getPort() ^ 1))));
                FakeStunServer primary = FakeStunServer.start(
                        "127.0.0.1",
                        (r, out) -> out.send(success(
                                r,
                                e -> e.addXorMappedAddress(
                                                r.source().getAddress(),
                                                r.source().getPort())
                                        .addOtherAddress(
                                                alternate.address().getAddress(),
                                                alternate.address().getPort()))))) {
            UdpStage.Bound bound =
                    (UdpStage.Bound) stage.bind(LOOPBACK, List.of(primary.resolved()), Deadline.after(SHORT));

            assertThat(bound.mappingVariesByDestination()).contains(true);
            assertThat(bound.notes()).anySatisfy(n -> assertThat(n).contains("the mapping depends on the destination"));
        }
    }

    @Test
    void withoutOtherAddressASecondServerIsTheSecondDestination() throws Exception {
        try (FakeStunServer first = FakeStunServer.start("127.0.0.1", (r, out) -> out.send(honest(r)));
                FakeStunServer second = FakeStunServer.start("127.0.0.3", (r, out) -> out.send(honest(r)))) {
            UdpStage.Bound bound = (UdpStage.Bound)
                    stage.bind(LOOPBACK, List.of(first.resolved(), second.resolved()), Deadline.after(SHORT));

            assertThat(bound.mappingVariesByDestination()).contains(false);
            assertThat(bound.notes())
                    .anySatisfy(n -> assertThat(n).contains("second binding to a second server 127.0.0."));
        }
    }

    @Test
    void withOnlyOneAddressTheOtherPortOfTheSameAddressIsTheSecondDestination() throws Exception {
        try (FakeStunServer first = FakeStunServer.start("127.0.0.1", (r, out) -> out.send(honest(r)));
                FakeStunServer second = FakeStunServer.start(
                        "127.0.0.1",
                        (r, out) -> out.send(success(
                                r,
                                e -> e.addXorMappedAddress(
                                        r.source().getAddress(), r.source().getPort() + 1))))) {
            UdpStage.Bound bound = (UdpStage.Bound)
                    stage.bind(LOOPBACK, List.of(first.resolved(), second.resolved()), Deadline.after(SHORT));

            // Whichever answered first, the other one saw a different port: the mapping varies.
            assertThat(bound.mappingVariesByDestination()).contains(true);
            assertThat(first.requests.getLast().source())
                    .isEqualTo(second.requests.getLast().source());
        }
    }

    @Test
    void noServerOfTheFamilyEndsAtOnce() throws Exception {
        UdpStage.Result result = stage.bind(LOOPBACK, List.of(), Deadline.after(Duration.ofSeconds(30)));

        assertThat(result).isInstanceOf(UdpStage.TimedOut.class);
        assertThat(result.notes()).containsExactly("no STUN server has an IPv4 address");
    }

    private static final int MESSAGE_HEADER = 20;

    /** An honest answer without FINGERPRINT, bent by {@code change}, so the decoder meets the bent field itself. */
    private static byte[] withoutFingerprint(FakeStunServer.Request request, Function<byte[], byte[]> change) {
        byte[] out = new byte[1500];
        int n = new MessageEncoder()
                .begin(out, 0, MessageClass.SUCCESS_RESPONSE, Method.BINDING, request.id())
                .addXorMappedAddress(
                        request.source().getAddress(), request.source().getPort())
                .finish(false);
        return change.apply(Arrays.copyOf(out, n));
    }
}
