package dev.natcheck.relay;

import dev.natcheck.stun.Coturn;
import dev.natcheck.stun.MessageView;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A UDP "relay" on loopback that answers every datagram as its script says (or not at all):
 * garbage, a STUN answer of the wrong kind, an error. Requests are decoded for the script when
 * they are STUN; the thread ends when the socket closes.
 */
final class HostileRelay implements AutoCloseable {

    private final DatagramSocket socket;
    private final Thread thread;
    private final AtomicInteger received = new AtomicInteger();

    private HostileRelay(Function<MessageView, Optional<byte[]>> script) throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(Coturn.LOOPBACK, 0));
        thread = Thread.ofPlatform().daemon().name("hostile relay").start(() -> serve(script));
    }

    /** Answers each request with what {@code script} makes of it; empty: no answer. */
    static HostileRelay answering(Function<MessageView, Optional<byte[]>> script) throws SocketException {
        return new HostileRelay(script);
    }

    /** Reads everything, answers nothing. */
    static HostileRelay silent() throws SocketException {
        return new HostileRelay(request -> Optional.empty());
    }

    private void serve(Function<MessageView, Optional<byte[]>> script) {
        byte[] buf = new byte[2048];
        MessageView view = new MessageView();
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return;
            }
            received.incrementAndGet();
            try {
                view.decode(Arrays.copyOf(buf, packet.getLength()));
            } catch (Exception e) {
                continue; // not STUN: nothing to answer
            }
            Optional<byte[]> answer = script.apply(view);
            if (answer.isPresent()) {
                try {
                    socket.send(new DatagramPacket(answer.get(), answer.get().length, packet.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }
    }

    String address() {
        return Coturn.LOOPBACK.getHostAddress() + ":" + socket.getLocalPort();
    }

    /** Datagrams received so far. */
    int received() {
        return received.get();
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(5_000);
    }
}
