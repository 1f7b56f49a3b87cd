package dev.natcheck.stunserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.stun.TransactionId;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The receive loop allocates nothing per Binding request: the bytes allocated by the receive
 * thread of the primary socket (com.sun.management.ThreadMXBean) over 10,000 requests, each
 * answered (CHANGE-REQUEST cycling through all four sockets, so sends on the other sockets'
 * channels are included), with FINGERPRINT, PADDING and the rate limiter on. An allocation
 * assertion, not a timing one.
 *
 * <p>The build runs it in JVMs that compile with C1 only ({@code -XX:TieredStopAtLevel=1}, see
 * the module's POM): C1 removes no allocation, so an object that only C2's escape analysis
 * would remove fails here every time, rather than now and then, when C2 happened not to remove
 * it (its inlining budget, its queue on a busy machine). Up to {@link #ROUNDS} measured rounds,
 * after a warm-up: a one-off inside the JDK can fall in a round, an allocation per request shows
 * in every one.
 */
class HotPathAllocationTest {

    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 10_000;
    private static final int ROUNDS = 10;

    @Test
    void answeringBindingRequestsAllocatesNothingOnTheReceiveThread() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        StunServerConfig config = StunServerTest.rfc5780Config()
                .withRateLimit(new RateLimit(1e9, 1_000_000, 1024))
                .withSoftware("natcheck allocation test");
        try (StunServer server = SocketIoUnderTest.start(config);
                TestClient client = TestClient.loopback()) {
            InetSocketAddress to = server.boundAddresses().getFirst();
            long rxThread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("stun-rx " + to.getAddress().getHostAddress() + ":" + to.getPort()))
                    .findFirst()
                    .orElseThrow()
                    .threadId();
            byte[][] requests = new byte[4][];
            for (int flags = 0; flags < 4; flags++) {
                boolean ip = (flags & 2) != 0;
                boolean port = (flags & 1) != 0;
                requests[flags] = Requests.binding(
                        TransactionId.random(),
                        e -> e.addChangeRequest(ip, port).addPadding(Requests.ROOM),
                        true);
            }

            for (int i = 0; i < WARM_UP; i++) {
                client.exchange(requests[i & 3], to);
            }
            long allocated = Long.MAX_VALUE;
            int rounds = 0;
            while (rounds < ROUNDS && allocated >= MEASURED) {
                long before = threads.getThreadAllocatedBytes(rxThread);
                for (int i = 0; i < MEASURED; i++) {
                    client.exchange(requests[i & 3], to);
                }
                allocated = threads.getThreadAllocatedBytes(rxThread) - before;
                rounds++;
                // The figure docs/benchmarks.md quotes.
                System.err.printf(
                        "receive loop (%s) allocated %d bytes over %d requests (round %d)%n",
                        server.socketIo(), allocated, MEASURED, rounds);
            }

            assertThat(server.count(Counter.ANSWERED)).isGreaterThanOrEqualTo(WARM_UP + (long) rounds * MEASURED - 1);
            // The smallest Java object is 16 bytes: fewer bytes than requests means no request
            // allocated anything. (Runs here measure 0, sometimes a few hundred bytes in all: a
            // one-off inside the JDK, such as a re-resolved sender address, not a per-packet cost.)
            assertThat(allocated)
                    .as("bytes allocated by the receive loop over %d requests", MEASURED)
                    .isLessThan(MEASURED);
        }
    }
}
