package dev.natcheck.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.stunserver.StunServer;
import dev.natcheck.stunserver.StunServerConfig;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The loop over real loopback sockets, against natcheck's own STUN server. */
class TransactionLoopTest {

    private static final Duration TIME = Duration.ofSeconds(5);
    private static StunServer server;
    private static InetSocketAddress primary;
    private static InetAddress loopback;

    private final List<Ignored> ignored = new ArrayList<>();
    private final List<Transaction> settled = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = StunServer.start(StunServerConfig.loopbackEphemeral(InetAddress.getByName("127.0.0.2")));
        primary = server.boundAddresses().getFirst();
        loopback = primary.getAddress();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void manyTransactionsOnOneSocketAreAllAnsweredAndReportedOnce() throws Exception {
        try (TransactionLoop loop = new TransactionLoop(ignored::add)) {
            Endpoint endpoint = loop.open("client", loopback, Optional.empty());
            List<Transaction> transactions = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                transactions.add(
                        Transaction.of("binding " + i, endpoint, primary, Request.binding(), Schedule.control()));
                loop.submit(transactions.getLast());
            }

            loop.run(System.nanoTime() + TIME.toNanos(), settled::add);

            assertThat(settled).containsExactlyInAnyOrderElementsOf(transactions);
            assertThat(transactions)
                    .allSatisfy(t ->
                            assertThat(t.answer().flatMap(Response::mapped)).contains(endpoint.local()));
            assertThat(ignored).isEmpty();
        }
    }

    @Test
    void aClosedPortOnAConnectedSocketIsRefusedAtOnce() throws Exception {
        InetSocketAddress closed;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            closed = (InetSocketAddress) socket.getLocalSocketAddress();
        }
        try (TransactionLoop loop = new TransactionLoop(ignored::add)) {
            Endpoint endpoint = loop.open("client", loopback, Optional.of(closed));
            Transaction transaction = Transaction.of("closed", endpoint, closed, Request.binding(), Schedule.control());
            loop.submit(transaction);

            loop.run(System.nanoTime() + TIME.toNanos(), settled::add);

            assertThat(transaction.outcome())
                    .isInstanceOfSatisfying(
                            Outcome.Refused.class, r -> assertThat(r.detail()).startsWith("ICMP port unreachable"));
        }
    }

    @Test
    void otherTrafficOnTheSameSocketReachesTheCallersHandler() throws Exception {
        List<Datagram> unsolicited = new ArrayList<>();
        try (TransactionLoop loop = new TransactionLoop(ignored::add);
                DatagramSocket peer = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            Endpoint endpoint = loop.open("client", loopback, Optional.empty());
            endpoint.onUnsolicited(unsolicited::add);
            byte[] hello = "not STUN".getBytes();
            peer.send(new DatagramPacket(hello, hello.length, endpoint.local()));
            Transaction transaction =
                    Transaction.of("binding", endpoint, primary, Request.binding(), Schedule.control());
            loop.submit(transaction);

            loop.run(System.nanoTime() + TIME.toNanos(), settled::add);

            assertThat(transaction.answer()).isPresent();
            assertThat(unsolicited).singleElement().satisfies(d -> {
                assertThat(d.bytes()).isEqualTo(hello);
                assertThat(d.source()).isEqualTo(peer.getLocalSocketAddress());
            });
            assertThat(ignored).isEmpty();
        }
    }

    @Test
    void theDeadlineCutsSilentTransactionsShortWithoutReportingThem() throws Exception {
        try (TransactionLoop loop = new TransactionLoop(ignored::add);
                DatagramSocket silent = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            Endpoint endpoint = loop.open("client", loopback, Optional.empty());
            Transaction transaction = Transaction.of(
                    "silent",
                    endpoint,
                    (InetSocketAddress) silent.getLocalSocketAddress(),
                    Request.binding(),
                    Schedule.control());
            loop.submit(transaction);

            loop.run(System.nanoTime() + Duration.ofMillis(250).toNanos(), settled::add);

            assertThat(transaction.outcome())
                    .isInstanceOfSatisfying(
                            Outcome.Unanswered.class,
                            u -> assertThat(u.complete()).isFalse());
            assertThat(settled).isEmpty();
        }
    }

    @Test
    void runUntilKeepsServingTheHandlerAfterTheLastTransactionAndStopsWhenTold() throws Exception {
        List<Datagram> unsolicited = new ArrayList<>();
        List<Transaction> sent = new ArrayList<>();
        try (TransactionLoop loop = new TransactionLoop(ignored::add);
                DatagramSocket peer = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            Endpoint endpoint = loop.open("client", loopback, Optional.empty());
            endpoint.onUnsolicited(unsolicited::add);
            loop.onTransmit(sent::add);
            Transaction transaction =
                    Transaction.of("binding", endpoint, primary, Request.binding(), Schedule.control());
            loop.submit(transaction);
            // The datagram comes well after the transaction settled: run() would have returned.
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(300);
                    byte[] late = "late".getBytes();
                    peer.send(new DatagramPacket(late, late.length, endpoint.local()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            loop.runUntil(System.nanoTime() + TIME.toNanos(), settled::add, () -> !unsolicited.isEmpty());
            sender.join();

            assertThat(settled).containsExactly(transaction);
            assertThat(unsolicited)
                    .singleElement()
                    .satisfies(d -> assertThat(d.bytes()).isEqualTo("late".getBytes()));
            assertThat(sent).containsExactly(transaction);
        }
    }

    @Test
    void wakeupMakesAWaitingRunUntilAskAgain() throws Exception {
        try (TransactionLoop loop = new TransactionLoop(ignored::add)) {
            loop.open("client", loopback, Optional.empty());
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Thread waker = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                done.set(true);
                loop.wakeup();
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();

            loop.runUntil(deadline, settled::add, done::get);
            waker.join();

            // Returned on the wakeup, not at the 30 s deadline (no timing assertion: only that it returned done).
            assertThat(done).isTrue();
            assertThat(System.nanoTime()).isLessThan(deadline);
        }
    }
}
