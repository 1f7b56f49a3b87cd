package dev.natcheck.whoami;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The daemon over real loopback sockets, IPv4 and IPv6, on ephemeral ports. */
@Timeout(60)
class WhoamiServerTest {

    private static final InetAddress V4 = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress V6 = InetAddress.ofLiteral("::1");
    private static final Duration LONG = Duration.ofMinutes(1);

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    @Test
    void ipv4ClientGetsExactlyItsAddressThenEof() throws IOException {
        WhoamiServer server = start(List.of(V4), 100, LONG);

        try (Socket client = connect(server.boundAddresses().getFirst())) {
            String expected = "127.0.0.1:" + client.getLocalPort() + "\n";

            byte[] received = readToEof(client);

            assertThat(new String(received, US_ASCII)).isEqualTo(expected);
            assertThat(received.length).isLessThanOrEqualTo(AddressLine.MAX_BYTES);
        }
    }

    @Test
    void ipv6ClientGetsExactlyItsAddressThenEof() throws IOException {
        assumeIpv6Loopback();
        WhoamiServer server = start(List.of(V6), 100, LONG);

        try (Socket client = connect(server.boundAddresses().getFirst())) {
            assertThat(client.getLocalAddress()).isEqualTo(V6);
            String expected = "[::1]:" + client.getLocalPort() + "\n";

            byte[] received = readToEof(client);

            assertThat(new String(received, US_ASCII)).isEqualTo(expected);
            assertThat(received.length).isLessThanOrEqualTo(AddressLine.MAX_BYTES);
        }
    }

    @Test
    void listensOnEveryAddressOfBothFamiliesByDefault() throws IOException {
        assumeIpv6Loopback();
        WhoamiServer server = start(List.of(), 100, LONG);
        int port = server.boundAddresses().getFirst().getPort();

        // IPv4 reaches the dual-stack socket as ::ffff:127.0.0.1 and must come back as plain IPv4.
        try (Socket v4 = connect(new InetSocketAddress(V4, port));
                Socket v6 = connect(new InetSocketAddress(V6, port))) {
            assertThat(new String(readToEof(v4), US_ASCII)).isEqualTo("127.0.0.1:" + v4.getLocalPort() + "\n");
            assertThat(new String(readToEof(v6), US_ASCII)).isEqualTo("[::1]:" + v6.getLocalPort() + "\n");
        }
    }

    @Test
    void explicitAddressesEachGetAListener() throws IOException {
        assumeIpv6Loopback();
        WhoamiServer server = start(List.of(V4, V6), 100, LONG);

        assertThat(server.boundAddresses())
                .extracting(InetSocketAddress::getAddress)
                .containsExactly(V4, V6);
        assertThat(server.boundAddresses())
                .allSatisfy(a -> assertThat(a.getPort()).isPositive());
        for (InetSocketAddress address : server.boundAddresses()) {
            try (Socket client = connect(address)) {
                assertThat(new String(readToEof(client), US_ASCII)).endsWith(":" + client.getLocalPort() + "\n");
            }
        }
    }

    @Test
    void clientThatSendsARequestFirstStillGetsTheLine() throws IOException {
        WhoamiServer server = start(List.of(V4), 100, LONG);

        try (Socket client = connect(server.boundAddresses().getFirst())) {
            // An HTTP client or a port scanner talks first; its bytes must not turn the close into a
            // reset that destroys the line.
            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII));

            assertThat(new String(readToEof(client), US_ASCII)).isEqualTo("127.0.0.1:" + client.getLocalPort() + "\n");
        }
    }

    @Test
    void clientsThatNeverReadDoNotBlockOthers() throws IOException {
        WhoamiServer server = start(List.of(V4), 1000, LONG);
        InetSocketAddress address = server.boundAddresses().getFirst();
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Socket s = new Socket();
            cleanup.add(s);
            s.setReceiveBufferSize(1);
            s.connect(address, 5000);
            // Send something too, so the server has to deal with each of them while they stall.
            s.getOutputStream().write('x');
            stalled.add(s);
        }
        awaitTrue(() -> server.openConnections() == stalled.size());

        for (int i = 0; i < 20; i++) {
            try (Socket client = connect(address)) {
                assertThat(new String(readToEof(client), US_ASCII))
                        .isEqualTo("127.0.0.1:" + client.getLocalPort() + "\n");
            }
        }
        assertThat(server.served()).isEqualTo(70);
    }

    @Test
    void connectionLimitClosesTheOldestAndStillServesNewClients() throws IOException {
        WhoamiServer server = start(List.of(V4), 2, LONG);
        InetSocketAddress address = server.boundAddresses().getFirst();
        Socket first = connect(address);
        Socket second = connect(address);
        Socket third = connect(address);

        // Every client gets its line, the third one included although the server was full.
        for (Socket client : List.of(first, second, third)) {
            assertThat(new String(readToEof(client), US_ASCII)).isEqualTo("127.0.0.1:" + client.getLocalPort() + "\n");
        }
        awaitTrue(() -> server.evicted() == 1);
        assertThat(server.openConnections()).isEqualTo(2);
        assertThat(server.timedOut()).isZero();
        // The server no longer holds the first socket: the next bytes it sends are answered by a reset.
        awaitTrue(() -> resetByPeer(first));
        assertThat(resetByPeer(third)).as("newest socket reset").isFalse();
    }

    @Test
    void idleTimeoutClosesClientsThatStayConnected() throws IOException {
        WhoamiServer server = start(List.of(V4), 100, Duration.ofMillis(200));

        Socket client = connect(server.boundAddresses().getFirst());
        assertThat(new String(readToEof(client), US_ASCII)).isEqualTo("127.0.0.1:" + client.getLocalPort() + "\n");

        // The client neither reads nor closes any more: only the timeout can end the connection.
        awaitTrue(() -> server.timedOut() == 1);
        assertThat(server.openConnections()).isZero();
        assertThat(server.evicted()).isZero();
        awaitTrue(() -> resetByPeer(client));
    }

    @Test
    void clientCloseReleasesTheConnection() throws IOException {
        WhoamiServer server = start(List.of(V4), 100, LONG);

        try (Socket client = connect(server.boundAddresses().getFirst())) {
            readToEof(client);
        }

        awaitTrue(() -> server.openConnections() == 0);
        assertThat(server.served()).isEqualTo(1);
        assertThat(server.timedOut()).isZero();
        assertThat(server.evicted()).isZero();
    }

    @Test
    void clientThatKeepsSendingIsCutOff() throws IOException {
        WhoamiServer server = start(List.of(V4), 100, LONG);
        Socket client = connect(server.boundAddresses().getFirst());
        readToEof(client);

        try {
            OutputStream out = client.getOutputStream();
            for (int i = 0; i < 4; i++) {
                out.write(new byte[WhoamiServer.DISCARD_LIMIT]);
            }
        } catch (IOException resetAlready) {
            // The server may cut the client off before the last write.
        }

        awaitTrue(() -> server.openConnections() == 0);
        assertThat(server.timedOut()).isZero();
        assertThat(server.evicted()).isZero();
    }

    @Test
    void closeStopsListeningAndReleasesHeldConnections() throws IOException {
        WhoamiServer server = start(List.of(V4), 100, LONG);
        InetSocketAddress address = server.boundAddresses().getFirst();
        Socket held = connect(address);
        readToEof(held);
        awaitTrue(() -> server.openConnections() == 1);
        assertThat(resetByPeer(held))
                .as("held socket reset while the server runs")
                .isFalse();

        server.close();

        assertThat(server.openConnections()).isZero();
        assertThat(server.failure()).isNull();
        assertThatThrownBy(() -> connect(address)).isInstanceOf(ConnectException.class);
        awaitTrue(() -> resetByPeer(held));
        server.close(); // a second close is harmless
    }

    @Test
    void failedStartLeavesNothingBound() throws IOException {
        try (ServerSocket blocker = new ServerSocket(0, 50, V4)) {
            int port = blocker.getLocalPort();
            InetAddress other = InetAddress.ofLiteral("127.0.0.2");
            WhoamiConfig config = new WhoamiConfig(List.of(other, V4), port, 100, LONG);

            assertThatThrownBy(() -> WhoamiServer.start(config))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + port + ": ");

            // 127.0.0.2 was bound before 127.0.0.1 failed: it must have been released.
            try (ServerSocket again = new ServerSocket(port, 50, other)) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
        }
    }

    private WhoamiServer start(List<InetAddress> listen, int maxConnections, Duration idle) throws IOException {
        WhoamiServer server = WhoamiServer.start(new WhoamiConfig(listen, 0, maxConnections, idle));
        cleanup.add(server);
        return server;
    }

    private Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        cleanup.add(socket);
        socket.setSoTimeout(10_000);
        socket.connect(address, 5_000);
        return socket;
    }

    private static byte[] readToEof(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        // One byte more than the limit, so an over-long line would show.
        return in.readNBytes(AddressLine.MAX_BYTES + 1);
    }

    /** Whether the peer has dropped the connection: writing then reading fails once it resets. */
    private static boolean resetByPeer(Socket socket) {
        try {
            socket.getOutputStream().write('x');
            socket.getInputStream().read();
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static void assumeIpv6Loopback() {
        try (ServerSocket probe = new ServerSocket(0, 1, V6)) {
            assumeThat(probe.isBound()).isTrue();
        } catch (IOException e) {
            assumeThat(e).as("IPv6 loopback (::1) unavailable").isNull();
        }
    }

    /** Polls a condition for up to 10 s: the server acts on its own thread. */
    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition still false after 10 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
