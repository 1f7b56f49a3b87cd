package dev.natcheck.stunserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.MessageHeader;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus: each datagram gets no reply and is counted under its reason, and a valid
 * request sent right after it is still answered. "No reply" is shown without waiting on a
 * clock: the server handles one socket's datagrams in order, so if the bad one had been
 * answered, that answer would arrive before the valid request's.
 */
class BadInputTest {

    record Case(String name, Supplier<byte[]> datagram, Counter reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static byte[] binding(MessageClass messageClass, Method method, int padding) {
        byte[] buf = new byte[1500];
        MessageEncoder e = new MessageEncoder().begin(buf, 0, messageClass, method, TransactionId.random());
        if (padding > 0) {
            e.addPadding(padding);
        }
        return Arrays.copyOf(buf, e.finish(true));
    }

    static byte[] request() {
        return binding(MessageClass.REQUEST, Method.BINDING, Requests.ROOM);
    }

    static byte[] truncated() {
        return Arrays.copyOf(request(), 12);
    }

    static byte[] wrongCookie() {
        // A modern request (FINGERPRINT, PADDING) whose cookie is corrupted, FINGERPRINT
        // recomputed so only the cookie is wrong: not an RFC 3489 client, just broken.
        byte[] buf = new byte[1500];
        MessageEncoder e = new MessageEncoder()
                .begin(buf, 0, MessageClass.REQUEST, Method.BINDING, 0x2112A443, TransactionId.random());
        return Arrays.copyOf(buf, e.addPadding(Requests.ROOM).finish(true));
    }

    static byte[] lengthMismatch() {
        byte[] b = request();
        b[3] += 4; // header length 4 more than the datagram holds
        return b;
    }

    static byte[] attributeOverrun() {
        byte[] b = binding(MessageClass.REQUEST, Method.BINDING, 0);
        // Drop FINGERPRINT, then claim a 64-byte SOFTWARE in an 8-byte body.
        byte[] m = Arrays.copyOf(b, MessageHeader.SIZE + 8);
        m[2] = 0;
        m[3] = 8;
        m[20] = (byte) 0x80;
        m[21] = 0x22;
        m[22] = 0;
        m[23] = 64;
        return m;
    }

    static byte[] huge() {
        // The largest UDP payload over IPv4 (65,507 bytes), starting like a Binding request.
        byte[] b = new byte[65_507];
        new Random(7).nextBytes(b);
        b[0] = 0;
        b[1] = 1;
        return b;
    }

    static byte[] dnsQuery() {
        return new byte[] {
            0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
            0, 1, 0, 1
        };
    }

    static Stream<Case> corpus() {
        return Stream.of(
                new Case("0 bytes", () -> new byte[0], Counter.DROPPED_MALFORMED),
                new Case("truncated header", BadInputTest::truncated, Counter.DROPPED_MALFORMED),
                new Case("wrong magic cookie", BadInputTest::wrongCookie, Counter.DROPPED_MALFORMED),
                new Case("length mismatch", BadInputTest::lengthMismatch, Counter.DROPPED_MALFORMED),
                new Case(
                        "attribute overrunning the message", BadInputTest::attributeOverrun, Counter.DROPPED_MALFORMED),
                new Case(
                        "bad FINGERPRINT",
                        () -> {
                            byte[] b = request();
                            b[b.length - 1] ^= 1;
                            return b;
                        },
                        Counter.DROPPED_MALFORMED),
                new Case(
                        "success response",
                        () -> binding(MessageClass.SUCCESS_RESPONSE, Method.BINDING, Requests.ROOM),
                        Counter.DROPPED_NOT_REQUEST),
                new Case(
                        "error response",
                        () -> binding(MessageClass.ERROR_RESPONSE, Method.BINDING, Requests.ROOM),
                        Counter.DROPPED_NOT_REQUEST),
                new Case(
                        "indication",
                        () -> binding(MessageClass.INDICATION, Method.BINDING, Requests.ROOM),
                        Counter.DROPPED_NOT_REQUEST),
                new Case(
                        "request of another method (TURN Allocate)",
                        () -> binding(MessageClass.REQUEST, Method.of(0x003), Requests.ROOM),
                        Counter.DROPPED_NOT_BINDING),
                new Case("64 KiB", BadInputTest::huge, Counter.DROPPED_MALFORMED),
                new Case("DNS query", BadInputTest::dnsQuery, Counter.DROPPED_MALFORMED),
                new Case(
                        "HTTP request",
                        () -> "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                        Counter.DROPPED_MALFORMED));
    }

    static StunServer server;
    static InetSocketAddress to;

    @BeforeAll
    static void start() throws Exception {
        server = SocketIoUnderTest.start(StunServerTest.rfc5780Config());
        to = server.boundAddresses().getFirst();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void droppedCountedAndValidRequestsStillAnswered(Case c) throws Exception {
        long before = server.count(c.reason());
        try (TestClient client = TestClient.loopback()) {
            client.send(c.datagram().get(), to);
            assertValidStillAnswered(client);
        }
        assertThat(server.count(c.reason())).isEqualTo(before + 1);
    }

    @Test
    void randomBytesAreNeverAnswered() throws Exception {
        Random random = new Random(20_240_601);
        long before = server.count(Counter.DROPPED_MALFORMED);
        try (TestClient client = TestClient.loopback()) {
            for (int i = 0; i < 200; i++) {
                byte[] junk = new byte[random.nextInt(600)];
                random.nextBytes(junk);
                client.send(junk, to);
            }
            assertValidStillAnswered(client);
        }
        assertThat(server.count(Counter.DROPPED_MALFORMED)).isEqualTo(before + 200);
    }

    private static void assertValidStillAnswered(TestClient client) throws Exception {
        TransactionId id = TransactionId.random();
        byte[] valid = Requests.padded(id);
        TestClient.Reply reply = client.exchange(valid, to);
        assertThat(Requests.decode(reply.bytes()).transactionIdMatches(id))
                .as("the first datagram back answers the valid request")
                .isTrue();
        assertThat(reply.bytes().length).isLessThanOrEqualTo(valid.length);
    }
}
