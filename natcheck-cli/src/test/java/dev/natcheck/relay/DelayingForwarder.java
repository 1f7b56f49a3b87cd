package dev.natcheck.relay;

import dev.natcheck.stun.Coturn;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A UDP forwarder on loopback that holds every datagram for {@code delay} before passing it on, in
 * both directions: a relay behind it is {@code 2 x delay} further away. This kernel has no netem,
 * so latency is made here. Each client gets its own upstream socket, so the relay sees one
 * client per client. Threads end when it closes.
 */
public final class DelayingForwarder implements AutoCloseable {

    private final DatagramSocket front;
    private final InetSocketAddress upstream;
    private final long delayNanos;
    private final ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1);
    private final Map<SocketAddress, DatagramSocket> backs = new ConcurrentHashMap<>();
    private final Thread reader;

    public DelayingForwarder(InetSocketAddress upstream, Duration delay) throws IOException {
        this.front = new DatagramSocket(new InetSocketAddress(Coturn.LOOPBACK, 0));
        this.upstream = upstream;
        this.delayNanos = delay.toNanos();
        this.reader = Thread.ofPlatform().daemon().name("forwarder front").start(this::readFront);
    }

    /** "127.0.0.1:PORT": where clients send. */
    public String address() {
        return Coturn.LOOPBACK.getHostAddress() + ":" + front.getLocalPort();
    }

    private void readFront() {
        byte[] buf = new byte[65_535];
        while (!front.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                front.receive(packet);
            } catch (IOException e) {
                return;
            }
            SocketAddress client = packet.getSocketAddress();
            byte[] data = Arrays.copyOf(buf, packet.getLength());
            DatagramSocket back = backs.computeIfAbsent(client, this::openBack);
            if (back != null) {
                later(back, data, upstream);
            }
        }
    }

    private DatagramSocket openBack(SocketAddress client) {
        try {
            DatagramSocket back = new DatagramSocket(new InetSocketAddress(Coturn.LOOPBACK, 0));
            Thread.ofPlatform().daemon().name("forwarder back").start(() -> readBack(back, client));
            return back;
        } catch (IOException e) {
            return null;
        }
    }

    private void readBack(DatagramSocket back, SocketAddress client) {
        byte[] buf = new byte[65_535];
        while (!back.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                back.receive(packet);
            } catch (IOException e) {
                return;
            }
            later(front, Arrays.copyOf(buf, packet.getLength()), client);
        }
    }

    private void later(DatagramSocket from, byte[] data, SocketAddress to) {
        timer.schedule(
                () -> {
                    try {
                        from.send(new DatagramPacket(data, data.length, to));
                    } catch (IOException e) {
                        // closed meanwhile: the datagram is lost, as on a real path
                    }
                },
                delayNanos,
                TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        front.close();
        backs.values().forEach(DatagramSocket::close);
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        reader.join(5_000);
    }
}
