package dev.natcheck.stunserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.natcheck.stun.AttributeType;
import dev.natcheck.stun.ErrorCode;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.TransactionId;
import dev.natcheck.stun.UnknownAttributes;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server over real loopback sockets: what is answered, with what, from where. */
class StunServerTest {

    static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");
    static final InetAddress LOOPBACK_2 = InetAddress.ofLiteral("127.0.0.2");

    private StunServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Counters are bumped after the send, so a client can hold its answer a moment before the
     * count moves: poll (bounded) rather than race.
     */
    static void assertCount(StunServer server, Counter counter, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.count(counter) != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(server.count(counter)).as(counter.label()).isEqualTo(expected);
    }

    private void assertCount(Counter counter, long expected) throws InterruptedException {
        assertCount(server, counter, expected);
    }

    private StunServer start(StunServerConfig config) throws IOException {
        server = SocketIoUnderTest.start(config);
        return server;
    }

    static StunServerConfig plainConfig() {
        return new StunServerConfig(List.of(LOOPBACK), 0, List.of(), 0, false, RateLimit.DEFAULT, "");
    }

    static StunServerConfig rfc5780Config() {
        return StunServerConfig.loopbackEphemeral(LOOPBACK_2).withAddresses(List.of(LOOPBACK), List.of(LOOPBACK_2));
    }

    @Test
    void answersWithTheSourceItSaw() throws Exception {
        InetSocketAddress to = start(plainConfig()).boundAddresses().getFirst();
        try (TestClient client = TestClient.loopback()) {
            TransactionId id = TransactionId.random();
            byte[] request = Requests.padded(id);
            TestClient.Reply reply = client.exchange(request, to);

            MessageView answer = Requests.decode(reply.bytes());
            assertThat(answer.messageClass()).isEqualTo(MessageClass.SUCCESS_RESPONSE);
            assertThat(answer.transactionIdMatches(id)).isTrue();
            assertThat(answer.xorMappedAddress().orElseThrow().socketAddress()).isEqualTo(client.local());
            assertThat(reply.from()).isEqualTo(to);
            assertThat(reply.bytes().length).isLessThanOrEqualTo(request.length);
            // No alternate: a plain server says nothing of RFC 5780.
            assertThat(answer.has(AttributeType.OTHER_ADDRESS)).isFalse();
            assertThat(answer.has(AttributeType.RESPONSE_ORIGIN)).isFalse();
        }
        assertCount(Counter.ANSWERED, 1);
    }

    @Test
    void burstFromSeveralClientsIsAnsweredEachToItsOwnSender() throws Exception {
        // More datagrams than one recvmmsg takes, queued before the server reads, from three
        // sockets interleaved: every answer must go to the socket that asked, with its own id.
        InetSocketAddress to = start(plainConfig()).boundAddresses().getFirst();
        int perClient = ReceiveLoop.BATCH;
        TestClient[] clients = {TestClient.loopback(), TestClient.loopback(), TestClient.loopback()};
        try {
            TransactionId[][] ids = new TransactionId[clients.length][perClient];
            for (int i = 0; i < perClient; i++) {
                for (int c = 0; c < clients.length; c++) {
                    ids[c][i] = TransactionId.random();
                    clients[c].send(Requests.padded(ids[c][i]), to);
                }
            }
            for (int c = 0; c < clients.length; c++) {
                for (int i = 0; i < perClient; i++) {
                    MessageView answer = Requests.decode(clients[c].receive().bytes());
                    assertThat(answer.transactionIdMatches(ids[c][i]))
                            .as("client %d answer %d", c, i)
                            .isTrue();
                    assertThat(answer.xorMappedAddress().orElseThrow().socketAddress())
                            .isEqualTo(clients[c].local());
                }
            }
        } finally {
            for (TestClient client : clients) {
                client.close();
            }
        }
        assertCount(Counter.ANSWERED, 3L * perClient);
    }

    @Test
    void socketIoPathIsTheOneAskedForAndBatchedOnLinuxByDefault() throws Exception {
        StunServer started = start(plainConfig());
        boolean linux =
                System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).startsWith("linux");
        SocketIo expected = switch (SocketIoUnderTest.IO) {
            case AUTO -> linux ? SocketIo.BATCHED : SocketIo.NIO;
            case NIO -> SocketIo.NIO;
            case BATCHED -> SocketIo.BATCHED;
        };
        assertThat(started.socketIo()).isEqualTo(expected);
    }

    @Test
    void paddedRequestGetsAnAnswerOfExactlyItsSize() throws Exception {
        InetSocketAddress to = start(rfc5780Config()).boundAddresses().getFirst();
        try (TestClient client = TestClient.loopback()) {
            byte[] request = Requests.binding(TransactionId.random(), e -> e.addPadding(500), true);
            TestClient.Reply reply = client.exchange(request, to);

            MessageView answer = Requests.decode(reply.bytes());
            assertThat(answer.hasPadding()).isTrue();
            assertThat(reply.bytes()).hasSize(request.length);
            assertThat(answer.hasFingerprint()).isTrue();
        }
    }

    @Test
    void fingerprintOnlyWhenTheRequestHadOne() throws Exception {
        InetSocketAddress to = start(plainConfig()).boundAddresses().getFirst();
        try (TestClient client = TestClient.loopback()) {
            byte[] with = Requests.binding(TransactionId.random(), e -> e.addPadding(64), true);
            byte[] without = Requests.binding(TransactionId.random(), e -> e.addPadding(64), false);

            assertThat(Requests.decode(client.exchange(with, to).bytes()).hasFingerprint())
                    .isTrue();
            assertThat(Requests.decode(client.exchange(without, to).bytes()).hasFingerprint())
                    .isFalse();
        }
    }

    @Test
    void plainRequestIsNotAmplifiedByDefault() throws Exception {
        InetSocketAddress to = start(plainConfig()).boundAddresses().getFirst();
        try (TestClient client = TestClient.loopback()) {
            client.send(Requests.plain(TransactionId.random()), to);
            TransactionId sentinel = TransactionId.random();
            TestClient.Reply reply = client.exchange(Requests.padded(sentinel), to);

            // The plain request was handled first and got nothing: the first datagram back is the sentinel's.
            assertThat(Requests.decode(reply.bytes()).transactionIdMatches(sentinel))
                    .isTrue();
        }
        assertCount(Counter.DROPPED_AMPLIFICATION, 1);
    }

    @Test
    void allowAmplificationAnswersPlainClients() throws Exception {
        InetSocketAddress to = start(plainConfig().withAllowAmplification(true))
                .boundAddresses()
                .getFirst();
        try (TestClient client = TestClient.loopback()) {
            TransactionId id = TransactionId.random();
            TestClient.Reply reply = client.exchange(Requests.plain(id), to);

            MessageView answer = Requests.decode(reply.bytes());
            assertThat(answer.transactionIdMatches(id)).isTrue();
            assertThat(answer.xorMappedAddress().orElseThrow().socketAddress()).isEqualTo(client.local());
        }
    }

    @Test
    void softwareIsSentWhenItFitsAndLeftOutWhenItDoesNot() throws Exception {
        InetSocketAddress to = start(plainConfig().withSoftware("natcheck test"))
                .boundAddresses()
                .getFirst();
        try (TestClient client = TestClient.loopback()) {
            byte[] roomy = Requests.binding(TransactionId.random(), e -> e.addPadding(64), false);
            // 36 bytes: room for the 32-byte answer (header, XOR-MAPPED-ADDRESS), not for SOFTWARE.
            byte[] tight = Requests.binding(TransactionId.random(), e -> e.addPadding(12), false);

            MessageView roomyAnswer = Requests.decode(client.exchange(roomy, to).bytes());
            MessageView tightAnswer = Requests.decode(client.exchange(tight, to).bytes());
            assertThat(roomyAnswer.software().orElseThrow().value()).isEqualTo("natcheck test");
            assertThat(tightAnswer.software()).isEmpty();
            assertThat(tightAnswer.xorMappedAddress()).isPresent();
        }
    }

    @Test
    void changeRequestWithoutAlternateGets420NamingIt() throws Exception {
        InetSocketAddress to = start(plainConfig()).boundAddresses().getFirst();
        try (TestClient client = TestClient.loopback()) {
            byte[] request = Requests.binding(
                    TransactionId.random(),
                    e -> e.addChangeRequest(false, false).addPadding(64),
                    true);
            MessageView answer = Requests.decode(client.exchange(request, to).bytes());

            assertThat(answer.messageClass()).isEqualTo(MessageClass.ERROR_RESPONSE);
            assertThat(answer.errorCode().orElseThrow().code()).isEqualTo(ErrorCode.UNKNOWN_ATTRIBUTE);
            assertThat(answer.unknownAttributes().orElseThrow())
                    .isEqualTo(new UnknownAttributes(List.of(AttributeType.CHANGE_REQUEST)));
        }
        assertCount(Counter.ANSWERED_ERROR, 1);
    }

    @Test
    void responsePortSendsTheAnswerToThatPort() throws Exception {
        InetSocketAddress to = start(rfc5780Config()).boundAddresses().getFirst();
        try (TestClient asker = TestClient.loopback();
                TestClient receiver = TestClient.loopback()) {
            TransactionId id = TransactionId.random();
            byte[] request = Requests.binding(
                    id, e -> e.addResponsePort(receiver.local().getPort()).addSoftware("x".repeat(120)), true);
            asker.send(request, to);
            TestClient.Reply reply = receiver.receive();

            MessageView answer = Requests.decode(reply.bytes());
            assertThat(answer.transactionIdMatches(id)).isTrue();
            // The mapped address is still where the request came from.
            assertThat(answer.xorMappedAddress().orElseThrow().socketAddress()).isEqualTo(asker.local());
            assertThat(reply.bytes().length).isLessThanOrEqualTo(request.length);
        }
    }

    @Test
    void paddingWithResponsePortIs400() throws Exception {
        InetSocketAddress to = start(rfc5780Config()).boundAddresses().getFirst();
        try (TestClient client = TestClient.loopback()) {
            byte[] request = Requests.binding(
                    TransactionId.random(),
                    e -> e.addResponsePort(client.local().getPort() + 1).addPadding(64),
                    true);
            MessageView answer = Requests.decode(client.exchange(request, to).bytes());

            assertThat(answer.messageClass()).isEqualTo(MessageClass.ERROR_RESPONSE);
            assertThat(answer.errorCode().orElseThrow().code()).isEqualTo(ErrorCode.BAD_REQUEST);
        }
    }

    @Test
    void neverAnswersItself() throws Exception {
        InetSocketAddress to = start(rfc5780Config()).boundAddresses().getFirst();
        try (TestClient client = TestClient.loopback()) {
            // RESPONSE-PORT naming the server's own port on the client's (= the server's) address.
            client.send(
                    Requests.binding(
                            TransactionId.random(),
                            e -> e.addResponsePort(to.getPort()).addSoftware("x".repeat(100)),
                            true),
                    to);
            TransactionId sentinel = TransactionId.random();
            TestClient.Reply reply = client.exchange(Requests.padded(sentinel), to);

            assertThat(Requests.decode(reply.bytes()).transactionIdMatches(sentinel))
                    .isTrue();
        }
        assertCount(Counter.DROPPED_LOOP, 1);
        assertCount(Counter.RECEIVED, 2);
    }

    @Test
    void legacyRfc3489RequestGetsMappedSourceAndChangedAddress() throws Exception {
        start(rfc5780Config().withAllowAmplification(true));
        InetSocketAddress to = server.boundAddresses().getFirst();
        InetSocketAddress other = server.boundAddresses().get(3);
        try (TestClient client = TestClient.loopback()) {
            // RFC 3489: a 128-bit transaction id where the magic cookie would be.
            byte[] request = {0x00, 0x01, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
            TestClient.Reply reply = client.exchange(request, to);

            MessageView answer = Requests.decode(reply.bytes());
            assertThat(answer.isLegacy()).isTrue();
            assertThat(answer.cookie()).isEqualTo(0x01020304);
            assertThat(answer.messageClass()).isEqualTo(MessageClass.SUCCESS_RESPONSE);
            assertThat(answer.mappedAddress().orElseThrow().socketAddress()).isEqualTo(client.local());
            assertThat(answer.sourceAddress().orElseThrow().socketAddress()).isEqualTo(to);
            assertThat(answer.changedAddress().orElseThrow().socketAddress()).isEqualTo(other);
            assertThat(answer.has(AttributeType.XOR_MAPPED_ADDRESS)).isFalse();
        }
    }

    @Test
    void rateLimitDropsWhatExceedsTheBurst() throws Exception {
        // A rate so slow the bucket cannot refill during the test: exactly the burst is answered.
        InetSocketAddress to = start(plainConfig().withRateLimit(new RateLimit(0.001, 5, 1024)))
                .boundAddresses()
                .getFirst();
        try (TestClient flooder = TestClient.loopback();
                TestClient other = new TestClient(LOOPBACK_2)) {
            for (int i = 0; i < 20; i++) {
                flooder.send(Requests.padded(TransactionId.random()), to);
            }
            // Another source is not limited by the first one's bucket; its answer comes after all 20.
            TransactionId sentinel = TransactionId.random();
            assertThat(Requests.decode(other.exchange(Requests.padded(sentinel), to)
                                    .bytes())
                            .transactionIdMatches(sentinel))
                    .isTrue();

            assertThat(flooder.drain()).hasSize(5);
        }
        assertCount(Counter.DROPPED_RATE_LIMITED, 15);
        assertCount(Counter.ANSWERED, 6);
    }

    /** Skips the calling test on a host without IPv6 loopback (some containers). */
    static void assumeIpv6Loopback() {
        try (java.net.DatagramSocket probe =
                new java.net.DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("::1"), 0))) {
            // bound: IPv6 is there
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback on this host: " + e.getMessage());
        }
    }

    @Test
    void ipv6LoopbackWorks() throws Exception {
        assumeIpv6Loopback();
        InetAddress v6 = InetAddress.ofLiteral("::1");
        InetSocketAddress to = start(plainConfig().withAddresses(List.of(v6), List.of()))
                .boundAddresses()
                .getFirst();
        try (TestClient client = new TestClient(v6)) {
            MessageView answer = Requests.decode(
                    client.exchange(Requests.padded(TransactionId.random()), to).bytes());

            assertThat(answer.xorMappedAddress().orElseThrow().socketAddress()).isEqualTo(client.local());
            assertThat(answer.xorMappedAddress().orElseThrow().address()).isEqualTo(v6);
        }
    }

    @Test
    void dualStackSocketReportsIpv4ClientsAsIpv4() throws Exception {
        assumeIpv6Loopback();
        InetSocketAddress bound = start(plainConfig().withAddresses(List.of(InetAddress.ofLiteral("::")), List.of()))
                .boundAddresses()
                .getFirst();
        InetSocketAddress to = new InetSocketAddress(LOOPBACK, bound.getPort());
        try (TestClient client = TestClient.loopback()) {
            MessageView answer = Requests.decode(
                    client.exchange(Requests.padded(TransactionId.random()), to).bytes());

            // The socket saw ::ffff:127.0.0.1; the client must read 127.0.0.1 (family IPv4).
            assertThat(answer.xorMappedAddress().orElseThrow().address()).isEqualTo(LOOPBACK);
            assertThat(answer.xorMappedAddress().orElseThrow().port())
                    .isEqualTo(client.local().getPort());
        }
    }

    @Test
    void ephemeralQuartetSharesItsTwoPortsAcrossBothAddresses() throws Exception {
        List<InetSocketAddress> bound = start(rfc5780Config()).boundAddresses();

        assertThat(bound).hasSize(4);
        assertThat(bound)
                .extracting(InetSocketAddress::getAddress)
                .containsExactly(LOOPBACK, LOOPBACK, LOOPBACK_2, LOOPBACK_2);
        assertThat(bound.get(0).getPort()).isEqualTo(bound.get(2).getPort()).isNotZero();
        assertThat(bound.get(1).getPort()).isEqualTo(bound.get(3).getPort()).isNotZero();
        assertThat(bound.get(0).getPort()).isNotEqualTo(bound.get(1).getPort());
    }

    @Test
    void portInUseFailsToStartAndLeavesNothingOpen() throws Exception {
        InetSocketAddress taken = start(plainConfig()).boundAddresses().getFirst();
        StunServerConfig clash = rfc5780Config().withPorts(0, taken.getPort());

        assertThatThrownBy(() -> SocketIoUnderTest.start(clash))
                .isInstanceOf(BindException.class)
                .hasMessageContaining("cannot listen on UDP 127.0.0.1:" + taken.getPort());
    }

    @Test
    void closeStopsAnsweringAndReleasesThePorts() throws Exception {
        InetSocketAddress to = start(plainConfig()).boundAddresses().getFirst();
        server.close();

        assertThat(server.awaitStopped(Duration.ofSeconds(5))).isTrue();
        assertThat(server.failure()).isNull();
        // The port is free again: a new server can take it.
        try (StunServer again = SocketIoUnderTest.start(plainConfig().withPorts(to.getPort(), 0))) {
            assertThat(again.boundAddresses().getFirst()).isEqualTo(to);
        }
    }

    @Test
    void metricsEndpointServesTheCounters() throws Exception {
        InetSocketAddress to = start(plainConfig()).boundAddresses().getFirst();
        try (TestClient client = TestClient.loopback();
                MetricsEndpoint metrics = MetricsEndpoint.start(new InetSocketAddress(LOOPBACK, 0), server);
                HttpClient http = HttpClient.newHttpClient()) {
            client.send(new byte[] {1, 2, 3}, to);
            client.exchange(Requests.padded(TransactionId.random()), to);
            assertCount(Counter.ANSWERED, 1);

            String body = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(body)
                    .contains("stun_received_datagrams_total 2.0")
                    .contains("stun_responses_total{class=\"success\"} 1.0")
                    .contains("stun_dropped_datagrams_total{reason=\"malformed\"} 1.0")
                    .contains("stun_dropped_datagrams_total{reason=\"rate_limited\"} 0.0")
                    .containsPattern("stun_build_info\\{java_version=\"25[^\"]*\",version=\"[^\"]+\"} 1");
            promtoolAccepts(body);
        }
    }

    /** {@code promtool check metrics} (Debian's prometheus package): the format and its lint rules. */
    private static void promtoolAccepts(String exposition) throws IOException, InterruptedException {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/promtool")),
                "promtool not installed (apt-get install prometheus)");
        Process promtool = new ProcessBuilder("/usr/bin/promtool", "check", "metrics")
                .redirectErrorStream(true)
                .start();
        promtool.getOutputStream().write(exposition.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String report = new String(promtool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(promtool.waitFor()).as("promtool check metrics: %s", report).isZero();
    }
}
