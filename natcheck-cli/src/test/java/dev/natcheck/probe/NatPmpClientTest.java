package dev.natcheck.probe;

import static dev.natcheck.probe.FakeStunServer.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** NAT-PMP external address requests against a scripted gateway on loopback. */
class NatPmpClientTest {

    /** A "gateway": answers each request with what the script sends. */
    private static final class FakeGateway implements AutoCloseable {
        final DatagramSocket socket;
        final DatagramSocket other;
        final AtomicInteger requests = new AtomicInteger();

        FakeGateway(BiConsumer<DatagramPacket, FakeGateway> script) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(ip("127.0.0.1"), 0));
            other = new DatagramSocket(new InetSocketAddress(ip("127.0.0.1"), 0));
            Thread.ofPlatform().daemon().start(() -> {
                byte[] buffer = new byte[64];
                while (!socket.isClosed()) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(packet);
                    } catch (IOException e) {
                        return;
                    }
                    if (packet.getLength() == 2 && buffer[0] == 0 && buffer[1] == 0) {
                        requests.incrementAndGet();
                        script.accept(packet, this);
                    }
                }
            });
        }

        void reply(DatagramPacket request, byte[] answer) {
            send(socket, request, answer);
        }

        static void send(DatagramSocket from, DatagramPacket request, byte[] answer) {
            try {
                from.send(new DatagramPacket(answer, answer.length, request.getSocketAddress()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public void close() {
            socket.close();
            other.close();
        }
    }

    /** RFC 6886 section 3.2 response: version 0, opcode 128, result, epoch, external address. */
    private static byte[] response(int result, int a, int b, int c, int d) {
        return new byte[] {
            0, (byte) 128, (byte) (result >> 8), (byte) result, 0, 0, 0, 42, (byte) a, (byte) b, (byte) c, (byte) d
        };
    }

    private final NatPmpClient client = new NatPmpClient();

    @Test
    void readsTheGatewaysExternalAddress() throws Exception {
        try (FakeGateway gateway = new FakeGateway((p, g) -> g.reply(p, response(0, 100, 64, 0, 9)))) {
            NatPmpClient.Answer answer =
                    client.externalAddress(ip("127.0.0.1"), gateway.address(), Deadline.after(Duration.ofSeconds(2)));

            assertThat(answer.external()).contains(ip("100.64.0.9"));
            assertThat(answer.note()).endsWith("reports its external address 100.64.0.9");
        }
    }

    @Test
    void ignoresGarbageAndWrongOpcodesThenTakesTheRealAnswer() throws Exception {
        try (FakeGateway gateway = new FakeGateway((p, g) -> {
            g.reply(p, new byte[] {1, 2, 3});
            g.reply(p, new byte[] {0, (byte) 129, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1});
            g.reply(p, response(0, 192, 168, 100, 2));
        })) {
            assertThat(client.externalAddress(ip("127.0.0.1"), gateway.address(), Deadline.after(Duration.ofSeconds(2)))
                            .external())
                    .contains(ip("192.168.100.2"));
        }
    }

    @Test
    void anErrorResultIsNotedWithoutAnAddress() throws Exception {
        try (FakeGateway gateway = new FakeGateway((p, g) -> g.reply(p, response(3, 0, 0, 0, 0)))) {
            NatPmpClient.Answer answer =
                    client.externalAddress(ip("127.0.0.1"), gateway.address(), Deadline.after(Duration.ofSeconds(2)));

            assertThat(answer.external()).isEmpty();
            assertThat(answer.note()).contains("result code 3 (Network Failure)", "no public external address");
        }
    }

    @Test
    void answersFromAnotherSourceAreIgnoredAndRequestsRetransmitted() throws Exception {
        try (FakeGateway gateway = new FakeGateway((p, g) -> FakeGateway.send(g.other, p, response(0, 10, 0, 0, 1)))) {
            NatPmpClient.Answer answer =
                    client.externalAddress(ip("127.0.0.1"), gateway.address(), Deadline.after(Duration.ofMillis(900)));

            assertThat(answer.external()).isEmpty();
            assertThat(answer.note()).contains("no answer in time");
            assertThat(gateway.requests.get()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aClosedPortIsNoService() throws Exception {
        InetSocketAddress closed;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(ip("127.0.0.1"), 0))) {
            closed = (InetSocketAddress) socket.getLocalSocketAddress();
        }
        NatPmpClient.Answer answer =
                client.externalAddress(ip("127.0.0.1"), closed, Deadline.after(Duration.ofSeconds(5)));

        assertThat(answer.external()).isEmpty();
        assertThat(answer.note()).contains("ICMP port unreachable");
    }
}
