package dev.natcheck.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The codec on the wire against coturn ({@link Coturn}, 127.0.0.1): a TURN client made of
 * nothing but {@link MessageEncoder}, {@link MessageView}, {@link ChannelData} and the credential
 * types, over a real UDP socket. Every answer coturn sends must decode strictly; every message the
 * codec writes must be accepted, which coturn's log shows: it must name no 400 (Bad Request) and
 * no 420 (Unknown Attribute).
 *
 * <p>The relay's only peer is the relay itself: data sent to the relayed address comes back to it,
 * from it, and so back to the client, as a Data indication or on the bound channel.
 */
class CoturnWireTest {

    private static final String USER = "alice";
    private static final String PASSWORD = "wonder-land 7";
    private static final Duration ANSWER = Duration.ofMillis(400);
    private static final int TRIES = 8;

    private DatagramSocket socket;
    private final MessageEncoder encoder = new MessageEncoder();
    private final MessageView answer = new MessageView();
    private final ChannelDataView channelData = new ChannelDataView();
    private final byte[] out = new byte[1500];
    private final byte[] in = new byte[1500];
    private InetSocketAddress server;

    @BeforeEach
    void socket() throws IOException {
        assumeTrue(Coturn.installed(), "coturn's turnserver is not installed (apt-get install coturn)");
        socket = new DatagramSocket(new InetSocketAddress(Coturn.LOOPBACK, 0));
    }

    @AfterEach
    void close() {
        if (socket != null) {
            socket.close();
        }
    }

    @Test
    void longTermCredentialsAllocateRelayBothWaysAndRelease() throws Exception {
        try (Coturn relay = Coturn.withUser(USER, PASSWORD)) {
            server = relay.address();

            relayBothWaysAndRelease(USER, PASSWORD);

            assertCoturnAcceptedEverything(relay, USER);
        }
    }

    @Test
    void restApiCredentialsAllocateRelayBothWaysAndRelease() throws Exception {
        String secret = "natcheck-shared-secret";
        RestCredentials rest =
                RestCredentials.issue(secret, "bob", Instant.now().plus(Duration.ofHours(1)));
        try (Coturn relay = Coturn.withSharedSecret(secret)) {
            server = relay.address();

            relayBothWaysAndRelease(rest.username(), rest.password());

            assertCoturnAcceptedEverything(relay, rest.username());
        }
    }

    @Test
    void aWrongPasswordIsAnotherChallengeNotABadRequest() throws Exception {
        try (Coturn relay = Coturn.withUser(USER, PASSWORD)) {
            server = relay.address();
            Challenge challenge = challenge();
            LongTermCredentials wrong = LongTermCredentials.answer(challenge, USER, "not the password");

            transact(allocate(wrong));

            assertThat(answer.messageClass()).isEqualTo(MessageClass.ERROR_RESPONSE);
            assertThat(answer.errorCodeValue()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(wrong.verify(answer)).isFalse();
            assertThat(Challenge.of(answer)).isPresent();
            assertThat(relay.log()).contains("ERROR: check_stun_auth: user alice credentials are incorrect");
            assertThat(relay.errorCodes()).doesNotContain(400, 420);
        }
    }

    @Test
    void aStaleNonceIsRenewedFromThe438() throws Exception {
        try (Coturn relay = Coturn.withUser(USER, PASSWORD, "--stale-nonce=1")) {
            server = relay.address();
            LongTermCredentials credentials = allocated(LongTermCredentials.answer(challenge(), USER, PASSWORD));

            // Refresh until coturn calls the 1-second nonce stale (bounded: 40 x 100 ms).
            int stale = -1;
            for (int i = 0; i < 40 && stale < 0; i++) {
                transact(refresh(credentials, 600));
                if (answer.errorCodeValue() == ErrorCode.STALE_NONCE) {
                    stale = i;
                } else {
                    assertThat(answer.messageClass()).isEqualTo(MessageClass.SUCCESS_RESPONSE);
                    Thread.sleep(100);
                }
            }
            assertThat(stale).as("a 438 within 4 s").isNotNegative();
            Challenge renewal = Challenge.of(answer).orElseThrow();
            assertThat(renewal.stale()).isTrue();
            LongTermCredentials renewed = credentials.withNonce(renewal);

            transact(refresh(renewed, 0));

            assertThat(answer.messageClass()).isEqualTo(MessageClass.SUCCESS_RESPONSE);
            assertThat(renewed.verify(answer)).isTrue();
            assertThat(renewed.nonce()).isNotEqualTo(credentials.nonce());
            assertThat(relay.errorCodes()).contains(438).doesNotContain(400, 420);
        }
    }

    /** Allocate → 401 → Allocate with credentials, CreatePermission, Send → Data, ChannelBind, ChannelData both ways, Refresh 0. */
    private void relayBothWaysAndRelease(String user, String password) throws Exception {
        Challenge challenge = challenge();
        assertThat(challenge.realm()).isEqualTo(Coturn.REALM);
        assertThat(challenge.refusal()).isEmpty();
        LongTermCredentials credentials = allocated(LongTermCredentials.answer(challenge, user, password));

        // The Allocate success: relayed and mapped addresses, lifetime, all under the integrity seal.
        int relayedIndex = answer.indexOf(AttributeType.XOR_RELAYED_ADDRESS);
        byte[] relayedIp = new byte[16];
        assertThat(answer.copyAddress(relayedIndex, relayedIp, 0)).isEqualTo(4);
        InetSocketAddress relayed = answer.xorRelayedAddress().orElseThrow().socketAddress();
        assertThat(relayed.getAddress()).isEqualTo(Coturn.LOOPBACK);
        assertThat(relayed.getPort())
                .isEqualTo(answer.addressPort(relayedIndex))
                .isPositive();
        assertThat(answer.xorMappedAddress().orElseThrow().socketAddress()).isEqualTo(socket.getLocalSocketAddress());
        assertThat(answer.lifetimeSeconds()).isBetween(1L, 600L);

        // CreatePermission for the relayed address itself: its own packets may come back in.
        transact(encoder.begin(out, 0, MessageClass.REQUEST, Method.CREATE_PERMISSION, TransactionId.random())
                .addXorPeerAddress(relayed.getAddress(), relayed.getPort())
                .addCredentials(credentials)
                .addMessageIntegrity(credentials)
                .finish(true));
        assertSealedSuccess(credentials, Method.CREATE_PERMISSION);

        // Send indication to the relayed address; it comes back as a Data indication from it.
        byte[] hello = "hello through a Send indication".getBytes(StandardCharsets.US_ASCII);
        send(encoder.begin(out, 0, MessageClass.INDICATION, Method.SEND, TransactionId.random())
                .addXorPeerAddress(relayed.getAddress(), relayed.getPort())
                .addData(hello, 0, hello.length)
                .finish(true));
        receive(PacketKind.STUN, () -> answer.messageClass() == MessageClass.INDICATION);
        assertThat(answer.method()).isEqualTo(Method.DATA);
        assertThat(answer.xorPeerAddress().orElseThrow().socketAddress()).isEqualTo(relayed);
        assertThat(answer.data().orElseThrow().value()).isEqualTo(hello);

        // ChannelBind 0x4000 to the same peer; ChannelData on it comes back on the channel.
        transact(encoder.begin(out, 0, MessageClass.REQUEST, Method.CHANNEL_BIND, TransactionId.random())
                .addChannelNumber(0x4000)
                .addXorPeerAddress(relayed.getAddress(), relayed.getPort())
                .addCredentials(credentials)
                .addMessageIntegrity(credentials)
                .finish(true));
        assertSealedSuccess(credentials, Method.CHANNEL_BIND);
        byte[] ping = "ping on channel 0x4000, 41 bytes long..".getBytes(StandardCharsets.US_ASCII);
        send(ChannelData.encode(out, 0, 0x4000, ping, 0, ping.length, Framing.DATAGRAM));
        receive(PacketKind.CHANNEL_DATA, () -> true);
        assertThat(channelData.channelNumber()).isEqualTo(0x4000);
        assertThat(Arrays.copyOfRange(
                        in, channelData.dataOffset(), channelData.dataOffset() + channelData.dataLength()))
                .isEqualTo(ping);

        // Refresh with lifetime 0 releases the allocation.
        transact(refresh(credentials, 0));
        assertSealedSuccess(credentials, Method.REFRESH);
        assertThat(answer.lifetimeSeconds()).isZero();
    }

    /** The first Allocate, without credentials: coturn's 401 names the realm and a nonce. */
    private Challenge challenge() throws Exception {
        transact(encoder.begin(out, 0, MessageClass.REQUEST, Method.ALLOCATE, TransactionId.random())
                .addRequestedTransport(RequestedTransport.UDP)
                .finish(true));
        assertThat(answer.errorCodeValue()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        return Challenge.of(answer).orElseThrow();
    }

    /** Allocates with {@code credentials}, following one 438 if the nonce went stale meanwhile. */
    private LongTermCredentials allocated(LongTermCredentials credentials) throws Exception {
        transact(allocate(credentials));
        if (answer.errorCodeValue() == ErrorCode.STALE_NONCE) {
            credentials = credentials.withNonce(Challenge.of(answer).orElseThrow());
            transact(allocate(credentials));
        }
        assertSealedSuccess(credentials, Method.ALLOCATE);
        return credentials;
    }

    private int allocate(LongTermCredentials credentials) {
        return encoder.begin(out, 0, MessageClass.REQUEST, Method.ALLOCATE, TransactionId.random())
                .addRequestedTransport(RequestedTransport.UDP)
                .addLifetime(600)
                .addDontFragment()
                .addCredentials(credentials)
                .addMessageIntegrity(credentials)
                .finish(true);
    }

    private int refresh(LongTermCredentials credentials, long lifetime) {
        return encoder.begin(out, 0, MessageClass.REQUEST, Method.REFRESH, TransactionId.random())
                .addLifetime(lifetime)
                .addCredentials(credentials)
                .addMessageIntegrity(credentials)
                .finish(true);
    }

    private void assertSealedSuccess(LongTermCredentials credentials, Method method) {
        assertThat(answer.messageClass())
                .as("%s answer, error %d", method, answer.errorCodeValue())
                .isEqualTo(MessageClass.SUCCESS_RESPONSE);
        assertThat(answer.method()).isEqualTo(method);
        assertThat(credentials.verify(answer))
                .as("%s answer's MESSAGE-INTEGRITY", method)
                .isTrue();
        assertThat(answer.hasFingerprint()).isTrue();
    }

    /**
     * Sends the request in {@code out[0 .. n)} and waits for the answer with its transaction id,
     * retransmitting every {@link #ANSWER} up to {@link #TRIES} times. The answer is left in
     * {@link #answer}; anything else that arrives meanwhile must still decode.
     */
    private void transact(int n) throws Exception {
        TransactionId id = TransactionId.of(Arrays.copyOfRange(out, 8, 20));
        for (int attempt = 0; attempt < TRIES; attempt++) {
            send(n);
            long deadline = System.nanoTime() + ANSWER.toNanos();
            while (System.nanoTime() < deadline) {
                int len = receiveWithin(deadline);
                if (len >= 0 && PacketKind.of(in, 0, len) == PacketKind.STUN) {
                    answer.decode(in, 0, len); // strict: coturn's answers must decode
                    if (answer.messageClass().isResponse() && answer.transactionIdMatches(id)) {
                        return;
                    }
                }
            }
        }
        throw new AssertionError("no answer from coturn after " + TRIES + " tries");
    }

    interface Check {
        boolean matches();
    }

    /** Waits (bounded) for a packet of {@code kind} that passes {@code check}, decoded strictly. */
    private void receive(PacketKind kind, Check check) throws Exception {
        long deadline = System.nanoTime() + ANSWER.toNanos() * TRIES;
        while (System.nanoTime() < deadline) {
            int len = receiveWithin(deadline);
            if (len < 0 || PacketKind.of(in, 0, len) != kind) {
                continue;
            }
            if (kind == PacketKind.STUN) {
                answer.decode(in, 0, len);
            } else {
                channelData.decode(in, 0, len, Framing.DATAGRAM);
            }
            if (check.matches()) {
                return;
            }
        }
        throw new AssertionError("no " + kind + " from coturn in time");
    }

    private void send(int n) throws IOException {
        socket.send(new DatagramPacket(out, 0, n, server));
    }

    /** One datagram from the server into {@link #in}, or -1 at the deadline. */
    private int receiveWithin(long deadline) throws IOException {
        int millis = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        socket.setSoTimeout(millis);
        DatagramPacket packet = new DatagramPacket(in, in.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return -1;
        }
        return packet.getSocketAddress().equals(server) ? packet.getLength() : -1;
    }

    /** coturn processed every request of the exchange for the user, and refused none as malformed. */
    private static void assertCoturnAcceptedEverything(Coturn relay, String user) {
        String log = relay.log();
        assertThat(relay.errorCodes())
                .as("error codes in coturn's log:%n%s", log)
                .containsOnly(401);
        assertThat(log).as("coturn's log:%n%s", log).doesNotContain("ERROR:");
        for (String method : List.of("ALLOCATE", "CREATE_PERMISSION", "CHANNEL_BIND", "REFRESH")) {
            assertThat(log)
                    .as("coturn's log names a successful %s for %s:%n%s", method, user, log)
                    .containsPattern(
                            "user <" + Pattern.quote(user) + ">: incoming packet " + method + " processed, success");
        }
    }
}
