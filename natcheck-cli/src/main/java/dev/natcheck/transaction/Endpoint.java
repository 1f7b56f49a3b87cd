package dev.natcheck.transaction;

import dev.natcheck.address.AddressText;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One local UDP socket of a {@link TransactionLoop}, non-blocking, connected to a peer when ICMP
 * errors from it should surface (the kernel then also drops datagrams from anyone else).
 * Datagrams that answer none of our transactions are evidence ({@link Ignored}) unless the caller
 * expects other traffic on the socket and takes it with {@link #onUnsolicited}.
 */
public final class Endpoint implements AutoCloseable {

    static final int DYNAMIC_LOW = 49152;
    static final int DYNAMIC_HIGH = 65535;
    private static final int RANDOM_ATTEMPTS = 8;

    private final String role;
    final DatagramChannel channel;
    private final InetSocketAddress local;
    private Optional<InetSocketAddress> peer;
    /** Who takes datagrams that answer none of our transactions, if anyone. */
    Optional<Consumer<Datagram>> unsolicited = Optional.empty();

    private Endpoint(String role, DatagramChannel channel, Optional<InetSocketAddress> peer) throws IOException {
        this.role = role;
        this.channel = channel;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.peer = peer;
    }

    /**
     * Opens a socket on {@code address}, connected to {@code peer} if given; with {@code random} on
     * a port drawn from 49152-65535, as RFC 5780 section 4.1 recommends for tests that need a port
     * which sent nothing recently (a system may hand out the same port again and again).
     */
    static Endpoint open(
            String role, InetAddress address, Optional<InetSocketAddress> peer, Optional<RandomGenerator> random)
            throws IOException {
        DatagramChannel channel = DatagramChannel.open(
                address instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        try {
            bind(channel, address, random);
            if (peer.isPresent()) {
                channel.connect(peer.get());
            }
            channel.configureBlocking(false);
            return new Endpoint(role, channel, peer);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void bind(DatagramChannel channel, InetAddress address, Optional<RandomGenerator> random)
            throws IOException {
        for (int attempt = 0; random.isPresent() && attempt < RANDOM_ATTEMPTS; attempt++) {
            try {
                channel.bind(new InetSocketAddress(address, random.get().nextInt(DYNAMIC_LOW, DYNAMIC_HIGH + 1)));
                return;
            } catch (BindException e) {
                // Taken (another test, another program): draw again.
            }
        }
        channel.bind(new InetSocketAddress(address, 0));
    }

    /**
     * Connects to {@code newPeer} instead, keeping the local port (and so the NAT mapping behind
     * it). Re-connecting rather than only disconnecting: an IPv6 socket that was only
     * disconnected was seen to drop answers from a new peer.
     */
    public void reconnect(InetSocketAddress newPeer) throws IOException {
        channel.disconnect();
        channel.connect(newPeer);
        peer = Optional.of(newPeer);
    }

    /** Datagrams that answer none of our transactions go to {@code handler} instead of becoming evidence. */
    public void onUnsolicited(Consumer<Datagram> handler) {
        unsolicited = Optional.of(handler);
    }

    /** Sends a request, or a datagram of the caller's own (an answer to a peer, an indication). */
    public void send(ByteBuffer datagram, InetSocketAddress destination) throws IOException {
        if (peer.isPresent()) {
            channel.write(datagram);
        } else {
            channel.send(datagram, destination);
        }
    }

    /** What the socket is for, as the caller named it: "filtering", "mapping", a server's name. */
    public String role() {
        return role;
    }

    /** The bound address and port. */
    public InetSocketAddress local() {
        return local;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a UDP socket cannot lose anything worth reporting.
        }
    }

    /** "filtering socket 192.168.1.2:50000". */
    @Override
    public String toString() {
        return role + " socket " + AddressText.format(local);
    }
}
