package dev.natcheck.punch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.stun.AttributeType;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.MessageIntegrity;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.StunParseException;
import dev.natcheck.stun.TransactionId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which datagrams count as the peer's check, one row per way not to; and what the answer is. */
class PeerRequestsTest {

    static final String LOCAL_UFRAG = "LoCa";
    static final String LOCAL_PASSWORD = "localpassword000000000";
    static final String PEER_UFRAG = "PeEr";
    static final InetSocketAddress PEER = address("198.51.100.130", 40001);
    static final InetSocketAddress PEER_OTHER_PORT = address("198.51.100.130", 50123);
    static final InetSocketAddress STRANGER = address("203.0.113.99", 40001);

    static PeerRequests requests() {
        return new PeerRequests(LOCAL_UFRAG, LOCAL_PASSWORD, PEER_UFRAG, Set.of(PEER.getAddress()));
    }

    /** A Binding request as the peer's check: USERNAME "ours:theirs", MESSAGE-INTEGRITY under our password. */
    static byte[] check(TransactionId id, String username, String password, boolean useCandidate, boolean integrity) {
        return message(MessageClass.REQUEST, id, username, password, useCandidate, integrity);
    }

    static byte[] message(
            MessageClass messageClass,
            TransactionId id,
            String username,
            String password,
            boolean useCandidate,
            boolean integrity) {
        byte[] buf = new byte[256];
        MessageEncoder encoder = new MessageEncoder().begin(buf, 0, messageClass, Method.BINDING, id);
        if (useCandidate) {
            encoder.addRaw(AttributeType.USE_CANDIDATE, new byte[0], 0, 0);
        }
        encoder.addUsername(username);
        if (integrity) {
            encoder.addMessageIntegrity(MessageIntegrity.shortTermKey(password));
        }
        return Arrays.copyOf(buf, encoder.finish(true));
    }

    static byte[] goodCheck(TransactionId id) {
        return check(id, LOCAL_UFRAG + ":" + PEER_UFRAG, LOCAL_PASSWORD, false, true);
    }

    record Row(String name, byte[] datagram, InetSocketAddress source, PeerRequests.Reason reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> ignored() {
        TransactionId id = TransactionId.random();
        byte[] response =
                message(MessageClass.SUCCESS_RESPONSE, id, LOCAL_UFRAG + ":" + PEER_UFRAG, LOCAL_PASSWORD, false, true);
        byte[] noCookie = goodCheck(id).clone();
        noCookie[4] ^= 0x7f;
        return Stream.of(
                new Row("not STUN", "hello, peer".getBytes(), PEER, PeerRequests.Reason.STRAY),
                new Row("no magic cookie", noCookie, PEER, PeerRequests.Reason.STRAY),
                new Row("a response nobody asked for", response, PEER, PeerRequests.Reason.STRAY),
                new Row(
                        "the names the other way round",
                        check(id, PEER_UFRAG + ":" + LOCAL_UFRAG, LOCAL_PASSWORD, false, true),
                        PEER,
                        PeerRequests.Reason.WRONG_USERNAME),
                new Row(
                        "no USERNAME",
                        Arrays.copyOf(
                                new byte[] {
                                    0, 1, 0, 0, 0x21, 0x12, (byte) 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
                                },
                                20),
                        PEER,
                        PeerRequests.Reason.WRONG_USERNAME),
                new Row(
                        "signed with another password",
                        check(id, LOCAL_UFRAG + ":" + PEER_UFRAG, "not-the-password-00000", false, true),
                        PEER,
                        PeerRequests.Reason.SPOOFED),
                new Row(
                        "not signed",
                        check(id, LOCAL_UFRAG + ":" + PEER_UFRAG, LOCAL_PASSWORD, false, false),
                        PEER,
                        PeerRequests.Reason.SPOOFED),
                new Row("from a host no token named", goodCheck(id), STRANGER, PeerRequests.Reason.UNKNOWN_SOURCE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ignored")
    void aDatagramThatIsNotThePeersCheckIsIgnoredAndNotAnswered(Row row) {
        PeerRequests.Verdict verdict = requests().judge(row.datagram(), row.source());
        assertThat(verdict)
                .isInstanceOfSatisfying(
                        PeerRequests.Verdict.Ignored.class,
                        i -> assertThat(i.reason()).isEqualTo(row.reason()));
    }

    @Test
    void thePeersCheckIsAnsweredSignedWithWhereItCameFrom() throws StunParseException {
        TransactionId id = TransactionId.random();
        PeerRequests.Verdict verdict = requests().judge(goodCheck(id), PEER_OTHER_PORT);

        PeerRequests.Verdict.Check check = (PeerRequests.Verdict.Check) verdict;
        assertThat(check.useCandidate()).isFalse();
        assertThat(check.retransmission()).isFalse();
        MessageView answer = new MessageView();
        answer.decode(check.response());
        assertThat(answer.messageClass()).isEqualTo(MessageClass.SUCCESS_RESPONSE);
        assertThat(answer.transactionIdMatches(id)).isTrue();
        // A peer-reflexive port is fine: only the IP must be one of the peer's.
        assertThat(answer.xorMappedAddress().orElseThrow().socketAddress()).isEqualTo(PEER_OTHER_PORT);
        assertThat(answer.verifyMessageIntegrity(MessageIntegrity.shortTermKey(LOCAL_PASSWORD)))
                .isTrue();
        assertThat(answer.hasFingerprint()).isTrue();
    }

    @Test
    void useCandidateIsANomination() {
        byte[] nomination = check(TransactionId.random(), LOCAL_UFRAG + ":" + PEER_UFRAG, LOCAL_PASSWORD, true, true);
        assertThat(requests().judge(nomination, PEER))
                .isInstanceOfSatisfying(
                        PeerRequests.Verdict.Check.class,
                        c -> assertThat(c.useCandidate()).isTrue());
    }

    @Test
    void aRetransmissionIsAnsweredAgainButTheSameIdFromElsewhereIsAReplay() {
        PeerRequests requests = requests();
        byte[] datagram = goodCheck(TransactionId.random());
        assertThat(requests.judge(datagram, PEER)).isInstanceOf(PeerRequests.Verdict.Check.class);
        assertThat(requests.judge(datagram, PEER))
                .isInstanceOfSatisfying(
                        PeerRequests.Verdict.Check.class,
                        c -> assertThat(c.retransmission()).isTrue());
        assertThat(requests.judge(datagram, PEER_OTHER_PORT))
                .isInstanceOfSatisfying(
                        PeerRequests.Verdict.Ignored.class,
                        i -> assertThat(i.reason()).isEqualTo(PeerRequests.Reason.REPLAYED));
    }

    @Test
    void replayMemoryIsBounded() {
        PeerRequests requests = requests();
        Function<Integer, byte[]> fresh = i -> goodCheck(TransactionId.random());
        byte[] first = fresh.apply(0);
        requests.judge(first, PEER);
        for (int i = 0; i < PeerRequests.REMEMBERED; i++) {
            requests.judge(fresh.apply(i), PEER);
        }
        // Forgotten after REMEMBERED newer ids: from another port it is answered again, not refused.
        assertThat(requests.judge(first, PEER_OTHER_PORT)).isInstanceOf(PeerRequests.Verdict.Check.class);
    }

    @Test
    void warmUpRunsWithoutANetwork() {
        PeerRequests.warmUp();
    }

    private static InetSocketAddress address(String host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
