package dev.natcheck.stunserver;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A UDP client socket on a loopback address, for talking to a server under test. */
final class TestClient implements AutoCloseable {

    /** A datagram received: its bytes and where it came from. */
    record Reply(byte[] bytes, InetSocketAddress from) {}

    private final DatagramSocket socket;

    TestClient(InetAddress bind) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(bind, 0));
        // Only a guard against a hung test: every wait in these tests ends with an expected datagram.
        socket.setSoTimeout(5_000);
    }

    static TestClient loopback() throws IOException {
        return new TestClient(InetAddress.getLoopbackAddress());
    }

    InetSocketAddress local() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void send(byte[] message, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(message, message.length, to));
    }

    Reply receive() throws IOException {
        byte[] buf = new byte[65_536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        return new Reply(Arrays.copyOf(buf, p.getLength()), (InetSocketAddress) p.getSocketAddress());
    }

    /** Sends {@code message} and returns the first datagram that comes back. */
    Reply exchange(byte[] message, InetSocketAddress to) throws IOException {
        send(message, to);
        return receive();
    }

    /**
     * Datagrams already queued on the socket. Call it after a later request's answer has arrived:
     * the server answers one socket's requests in order, so anything earlier is queued by then.
     */
    List<Reply> drain() throws IOException {
        List<Reply> replies = new ArrayList<>();
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(100);
        try {
            while (true) {
                replies.add(receive());
            }
        } catch (SocketTimeoutException e) {
            return replies;
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
