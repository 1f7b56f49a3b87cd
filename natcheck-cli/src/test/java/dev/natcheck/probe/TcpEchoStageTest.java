package dev.natcheck.probe;

import static dev.natcheck.probe.FakeStunServer.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The TCP echo stage against real listening sockets on loopback. */
class TcpEchoStageTest {

    private static final ProbeTarget LOOPBACK = new ProbeTarget("lo", Family.IPV4, ip("127.0.0.1"), false, true);

    private final TcpEchoStage stage = new TcpEchoStage();

    /** Accepts connections and answers each with what {@code answer} makes of the client's address. */
    private static final class FakeWhoami implements AutoCloseable {
        final ServerSocket server;
        final CountDownLatch release = new CountDownLatch(1);

        FakeWhoami(Function<InetSocketAddress, byte[]> answer) throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(ip("127.0.0.1"), 0));
            Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    try (Socket client = server.accept()) {
                        byte[] bytes = answer.apply((InetSocketAddress) client.getRemoteSocketAddress());
                        if (bytes == null) {
                            release.await(); // a silent server: holds the connection open
                            continue;
                        }
                        OutputStream out = client.getOutputStream();
                        out.write(bytes);
                        out.flush();
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
        }

        InetSocketAddress address() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }

        @Override
        public void close() throws IOException {
            release.countDown();
            server.close();
        }
    }

    @Test
    void readsTheObservedAddressLine() throws Exception {
        try (FakeWhoami whoami = new FakeWhoami(client ->
                (dev.natcheck.address.AddressText.format(client) + "\n").getBytes(StandardCharsets.US_ASCII))) {
            TcpStage.Result result =
                    stage.echo(LOOPBACK, List.of(whoami.address()), Deadline.after(Duration.ofSeconds(2)));

            assertThat(result).isInstanceOf(TcpStage.Echoed.class);
            TcpStage.Echoed echoed = (TcpStage.Echoed) result;
            assertThat(echoed.mapped()).isEqualTo(echoed.local());
            assertThat(echoed.server()).isEqualTo(whoami.address());
        }
    }

    @ParameterizedTest(name = "malformed line \"{0}\"")
    @CsvSource(
            delimiter = '|',
            value = {
                "hello\\n",
                "198.51.100.7\\n",
                "198.51.100.7:99999\\n",
                "' 198.51.100.7:40000\\n'",
                "198.51.100.7:40000 \\n",
                "198.51.100.7:40000\\r\\n",
                "2001:db8::7:40000\\n",
                "198.51.100.7:40000",
                "1234567890123456789012345678901234567890123456789012345678901234567890\\n",
                "\\u0000\\u0001\\u0002\\n",
            })
    void aMalformedLineIsEvidenceNotACrash(String escaped) throws Exception {
        byte[] line = escaped.replace("\\n", "\n")
                .replace("\\r", "\r")
                .replace("\\u0000", "\0")
                .replace("\\u0001", "\u0001")
                .replace("\\u0002", "\u0002")
                .getBytes(StandardCharsets.ISO_8859_1);
        try (FakeWhoami whoami = new FakeWhoami(client -> line)) {
            TcpStage.Result result =
                    stage.echo(LOOPBACK, List.of(whoami.address()), Deadline.after(Duration.ofSeconds(2)));

            assertThat(result).isInstanceOf(TcpStage.Malformed.class);
            assertThat(result.notes())
                    .singleElement()
                    .asString()
                    .contains("malformed line")
                    .doesNotContain("\n")
                    .doesNotContain("\0");
        }
    }

    @Test
    void aRefusedConnectionIsRefused() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket socket = new ServerSocket(0, 1, ip("127.0.0.1"))) {
            closed = (InetSocketAddress) socket.getLocalSocketAddress();
        }
        TcpStage.Result result = stage.echo(LOOPBACK, List.of(closed), Deadline.after(Duration.ofSeconds(5)));

        assertThat(result).isInstanceOf(TcpStage.Refused.class);
        assertThat(result.notes()).singleElement().asString().contains("connection refused");
    }

    @Test
    void aSilentServerTimesOutAtTheDeadline() throws Exception {
        try (FakeWhoami whoami = new FakeWhoami(client -> null)) {
            TcpStage.Result result =
                    stage.echo(LOOPBACK, List.of(whoami.address()), Deadline.after(Duration.ofMillis(300)));

            assertThat(result).isInstanceOf(TcpStage.TimedOut.class);
        }
    }

    @Test
    void aGoodServerWinsOverARefusingOne() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket socket = new ServerSocket(0, 1, ip("127.0.0.1"))) {
            closed = (InetSocketAddress) socket.getLocalSocketAddress();
        }
        try (FakeWhoami whoami = new FakeWhoami(client -> "203.0.113.9:5000\n".getBytes(StandardCharsets.US_ASCII))) {
            TcpStage.Result result =
                    stage.echo(LOOPBACK, List.of(closed, whoami.address()), Deadline.after(Duration.ofSeconds(2)));

            assertThat(result).isInstanceOf(TcpStage.Echoed.class);
            assertThat(((TcpStage.Echoed) result).mapped()).isEqualTo(new InetSocketAddress(ip("203.0.113.9"), 5000));
        }
    }
}
