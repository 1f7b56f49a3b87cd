package dev.natcheck.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The error-queue socket on loopback, for real: datagrams to a port nobody listens on come back
 * as ICMP port unreachable on the error queue, naming 127.0.0.1 as offender and the datagram's
 * own destination; a datagram that is answered comes back as a reply.
 */
class ErrorQueueSocketTest {

    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");
    private static final long WAIT = Duration.ofSeconds(5).toNanos();

    @BeforeEach
    void onLinux() {
        assumeTrue(LinuxUdp.AVAILABLE, () -> "Linux socket calls unavailable: " + LinuxUdp.UNAVAILABLE_REASON);
    }

    /** A loopback port nobody listens on: bound, then released. */
    private static InetSocketAddress closedPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return (InetSocketAddress) s.getLocalSocketAddress();
        }
    }

    /** Errors queued within the wait, until {@code count} arrived. */
    private static List<QueuedError> errors(ErrorQueueSocket socket, int count) throws Exception {
        List<QueuedError> errors = new ArrayList<>();
        long until = System.nanoTime() + WAIT;
        while (errors.size() < count && socket.await(until - System.nanoTime())) {
            for (Optional<QueuedError> e = socket.nextError(); e.isPresent(); e = socket.nextError()) {
                errors.add(e.get());
            }
            while (socket.nextReply().isPresent()) {
                // a stray datagram: not what this test counts
            }
        }
        return errors;
    }

    @Test
    void portUnreachableComesBackFromTheErrorQueue() throws Exception {
        InetSocketAddress closed = closedPort();
        try (ErrorQueueSocket socket = ErrorQueueSocket.open(LOOPBACK)) {
            assertThat(socket.localAddress().getAddress()).isEqualTo(LOOPBACK);
            assertThat(socket.localAddress().getPort()).isPositive();

            socket.send(closed, 1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

            List<QueuedError> errors = errors(socket, 1);
            assertThat(errors).hasSize(1);
            QueuedError e = errors.getFirst();
            assertThat(e.destination()).contains(closed);
            assertThat(e.error().isPortUnreachable()).isTrue();
            assertThat(e.error().errno()).isEqualTo(LinuxUdp.ECONNREFUSED);
            assertThat(e.error().offender()).contains(LOOPBACK);
            // Linux quotes the whole datagram back.
            assertThat(e.quotedPayloadLength()).isEqualTo(8);
            assertThat(socket.nextError()).isEmpty();
        }
    }

    @Test
    void aBurstOfProbesIsSentInFullAndEachErrorReadBack() throws Exception {
        // Each ICMP error also leaves the socket's pending error set, which the next send
        // reports instead of sending: the socket sends again, so no probe is lost to it.
        List<InetSocketAddress> targets = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            targets.add(closedPort());
        }
        try (ErrorQueueSocket socket = ErrorQueueSocket.open(LOOPBACK)) {
            for (int i = 0; i < targets.size(); i++) {
                socket.send(targets.get(i), 1 + i, new byte[0]);
            }
            List<QueuedError> errors = errors(socket, targets.size());
            assertThat(errors)
                    .extracting(e -> e.destination().orElseThrow())
                    .containsExactlyInAnyOrderElementsOf(targets);
            assertThat(errors).allMatch(e -> e.error().isPortUnreachable());
        }
    }

    @Test
    void anAnsweredDatagramComesBackAsAReply() throws Exception {
        try (DatagramSocket echo = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                ErrorQueueSocket socket = ErrorQueueSocket.open(LOOPBACK)) {
            echo.setSoTimeout(5000);
            socket.send((InetSocketAddress) echo.getLocalSocketAddress(), 64, new byte[] {42});
            DatagramPacket p = new DatagramPacket(new byte[16], 16);
            echo.receive(p);
            assertThat(p.getSocketAddress()).isEqualTo(socket.localAddress());
            echo.send(new DatagramPacket(new byte[] {7}, 1, p.getSocketAddress()));

            assertThat(socket.await(WAIT)).isTrue();
            assertThat(socket.nextReply()).contains((InetSocketAddress) echo.getLocalSocketAddress());
            assertThat(socket.nextReply()).isEmpty();
            assertThat(socket.nextError()).isEmpty();
        }
    }

    @Test
    void aDatagramToItselfComesBackAsAReplyAsWarmUpSends() throws Exception {
        ErrorQueueSocket.warmUp();
        try (ErrorQueueSocket socket = ErrorQueueSocket.open(LOOPBACK)) {
            socket.send(socket.localAddress(), 1, new byte[] {0});
            assertThat(socket.await(WAIT)).isTrue();
            assertThat(socket.nextReply()).contains(socket.localAddress());
            assertThat(socket.nextError()).isEmpty();
        }
    }

    @Test
    void awaitReturnsFalseWhenNothingCame() throws Exception {
        try (ErrorQueueSocket socket = ErrorQueueSocket.open(LOOPBACK)) {
            assertThat(socket.await(0)).isFalse();
            assertThat(socket.await(Duration.ofMillis(20).toNanos())).isFalse();
        }
    }

    @Test
    void refusesWhatItCannotDo() throws Exception {
        assertThatThrownBy(() -> ErrorQueueSocket.open(InetAddress.ofLiteral("::1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPv4 only");
        try (ErrorQueueSocket socket = ErrorQueueSocket.open(LOOPBACK)) {
            InetSocketAddress to = closedPort();
            assertThatThrownBy(() -> socket.send(to, 0, new byte[0])).hasMessageContaining("TTL must be 1..255");
            assertThatThrownBy(() -> socket.send(to, 256, new byte[0])).hasMessageContaining("TTL must be 1..255");
            assertThatThrownBy(() -> socket.send(to, 1, new byte[513])).hasMessageContaining("at most 512");
        }
    }

    @Test
    void anAddressThatIsNotThisHostsIsABindError() {
        assertThatThrownBy(() -> ErrorQueueSocket.open(InetAddress.ofLiteral("203.0.113.254")))
                .isInstanceOf(java.net.BindException.class);
    }
}
