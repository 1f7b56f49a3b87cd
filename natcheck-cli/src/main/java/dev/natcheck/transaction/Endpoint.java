package dev.natcheck.transaction;

import dev.natcheck.address.AddressText;
import dev.natcheck.stun.Framing;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One local endpoint of a {@link TransactionLoop}, of one of three {@link Transport}s: a UDP socket
 * (non-blocking, bound to one address, connected to a peer when the caller wants ICMP errors from
 * it to surface; a connected socket also makes the kernel drop datagrams from anyone else); a TCP
 * connection to one server, carrying STUN and ChannelData messages back to back (RFC 8489 section
 * 6.2.2, RFC 8656 section 12.5); or an address on a TURN relay, whose datagrams a {@link Carrier}
 * wraps and sends through another endpoint and whose arrivals the TURN client hands back with
 * {@link TransactionLoop#deliver}.
 *
 * <p>Datagrams that answer none of our transactions are evidence by default ({@link Ignored});
 * a caller that expects other traffic on the same endpoint (a peer's own requests, indications,
 * data that is not STUN at all) registers a handler with {@link #onUnsolicited} and gets them
 * instead.
 */
public final class Endpoint implements AutoCloseable {

    /** How an endpoint's datagrams travel. */
    public enum Transport {
        /** A UDP socket of its own. */
        UDP,
        /** A TCP connection to one server, messages back to back ({@link Framing#STREAM}). */
        TCP,
        /** Through a TURN relay's allocation: sent by a {@link Carrier}, received by {@link TransactionLoop#deliver}. */
        RELAYED
    }

    /** How a relayed endpoint's datagrams leave: wrapped by the TURN client and sent to its server. */
    @FunctionalInterface
    public interface Carrier {
        void send(ByteBuffer datagram, InetSocketAddress destination) throws IOException;
    }

    static final int DYNAMIC_LOW = 49152;
    static final int DYNAMIC_HIGH = 65535;
    private static final int RANDOM_ATTEMPTS = 8;
    /** Bytes a TCP endpoint queues while the kernel's send buffer is full; more is an error, not a wait. */
    private static final int MAX_QUEUED = 256 * 1024;
    /** Room for the longest frame: a STUN message of 20 + 65,535 bytes, or ChannelData of 4 + 65,535 + 1 padding. */
    private static final int STREAM_BUFFER = 20 + 65_536;

    private final String role;
    private final Transport transport;
    private final DatagramChannel datagramChannel;
    private final SocketChannel streamChannel;
    private final Carrier carrier;
    private InetSocketAddress local;
    private Optional<InetSocketAddress> peer;
    /** Who takes datagrams that answer none of our transactions, if anyone. */
    Optional<Consumer<Datagram>> unsolicited = Optional.empty();
    // TCP only: connection state, what waits to be written, what was read but not yet framed.
    private boolean connected;
    private SelectionKey key;
    private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
    private int queuedBytes;
    private ByteBuffer inbound;

    private Endpoint(String role, DatagramChannel channel, Optional<InetSocketAddress> peer) throws IOException {
        this.role = role;
        this.transport = Transport.UDP;
        this.datagramChannel = channel;
        this.streamChannel = null;
        this.carrier = null;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.peer = peer;
    }

    private Endpoint(String role, SocketChannel channel, InetSocketAddress server, boolean connected)
            throws IOException {
        this.role = role;
        this.transport = Transport.TCP;
        this.datagramChannel = null;
        this.streamChannel = channel;
        this.carrier = null;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.peer = Optional.of(server);
        this.connected = connected;
        this.inbound = ByteBuffer.allocate(STREAM_BUFFER);
    }

    private Endpoint(String role, InetSocketAddress relayed, Carrier carrier) {
        this.role = role;
        this.transport = Transport.RELAYED;
        this.datagramChannel = null;
        this.streamChannel = null;
        this.carrier = carrier;
        this.local = relayed;
        this.peer = Optional.empty();
    }

    /**
     * Opens a socket on {@code address}: on a port drawn at random from the dynamic range
     * 49152-65535 when {@code random} is given, as RFC 5780 section 4.1 recommends for tests
     * that need a port which sent nothing recently (an operating system may hand out the same
     * port again and again), else on the kernel's choice; connected to {@code peer} when given.
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
     * Opens a TCP connection from {@code address} (the kernel's choice of port) to {@code server},
     * without waiting for it: {@link TransactionLoop} finishes it, and what is sent meanwhile waits
     * in a queue.
     */
    static Endpoint connect(String role, InetAddress address, InetSocketAddress server) throws IOException {
        SocketChannel channel = SocketChannel.open(
                address instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.bind(new InetSocketAddress(address, 0));
            channel.configureBlocking(false);
            boolean connected = channel.connect(server);
            return new Endpoint(role, channel, server, connected);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** An address on a relay, {@code relayed}, whose datagrams {@code carrier} sends. */
    static Endpoint relayed(String role, InetSocketAddress relayed, Carrier carrier) {
        return new Endpoint(role, relayed, carrier);
    }

    /**
     * Connects to {@code newPeer} instead, keeping the local port (and so the NAT mapping behind
     * it). Re-connecting rather than only disconnecting: an IPv6 socket that was only
     * disconnected was seen to drop answers from a new peer.
     */
    public void reconnect(InetSocketAddress newPeer) throws IOException {
        if (transport != Transport.UDP) {
            throw new IllegalStateException("only a UDP socket reconnects: " + this);
        }
        datagramChannel.disconnect();
        datagramChannel.connect(newPeer);
        peer = Optional.of(newPeer);
    }

    /** Datagrams that answer none of our transactions go to {@code handler} instead of becoming evidence. */
    public void onUnsolicited(Consumer<Datagram> handler) {
        unsolicited = Optional.of(handler);
    }

    /**
     * Sends {@code datagram} to {@code destination} (a connected socket only to its peer; a TCP
     * endpoint queues it behind what waits and writes what the kernel takes; a relayed endpoint
     * hands it to its carrier): what the engine uses for requests, and what a caller uses for
     * datagrams of its own on the same endpoint (an answer to a peer's request, an indication,
     * ChannelData).
     */
    public void send(ByteBuffer datagram, InetSocketAddress destination) throws IOException {
        switch (transport) {
            case UDP -> {
                if (peer.isPresent()) {
                    datagramChannel.write(datagram);
                } else {
                    datagramChannel.send(datagram, destination);
                }
            }
            case TCP -> {
                if (!streamChannel.isOpen()) {
                    throw new IOException("the TCP connection to " + AddressText.format(peer.get()) + " is closed");
                }
                if (queuedBytes + datagram.remaining() > MAX_QUEUED) {
                    throw new IOException("TCP connection to " + AddressText.format(peer.get()) + " takes nothing: "
                            + queuedBytes + " bytes wait to be written");
                }
                ByteBuffer copy = ByteBuffer.allocate(datagram.remaining());
                copy.put(datagram).flip();
                queued.add(copy);
                queuedBytes += copy.remaining();
                flush();
            }
            case RELAYED -> carrier.send(datagram, destination);
        }
    }

    /** How this endpoint's datagrams travel. */
    public Transport transport() {
        return transport;
    }

    /** How messages are delimited here: one per datagram, or back to back on TCP. */
    public Framing framing() {
        return transport == Transport.TCP ? Framing.STREAM : Framing.DATAGRAM;
    }

    /** The channel to register with a selector; null for a relayed endpoint, which has none. */
    SelectableChannel channel() {
        return transport == Transport.UDP ? datagramChannel : streamChannel;
    }

    DatagramChannel datagramChannel() {
        return datagramChannel;
    }

    SocketChannel streamChannel() {
        return streamChannel;
    }

    /** The interest a TCP endpoint's selection key needs now. */
    int interest() {
        if (!connected) {
            return SelectionKey.OP_CONNECT;
        }
        return SelectionKey.OP_READ | (queued.isEmpty() ? 0 : SelectionKey.OP_WRITE);
    }

    void registered(SelectionKey key) {
        this.key = key;
    }

    /** Completes a TCP connection the selector says is ready; the local address is known from here on. */
    void finishConnect() throws IOException {
        if (streamChannel.finishConnect()) {
            connected = true;
            local = (InetSocketAddress) streamChannel.getLocalAddress();
            flush();
        }
    }

    /** Writes what the kernel takes of what waits (TCP). */
    void flush() throws IOException {
        if (!connected) {
            return;
        }
        while (!queued.isEmpty()) {
            ByteBuffer head = queued.peek();
            int before = head.remaining();
            streamChannel.write(head);
            queuedBytes -= before - head.remaining();
            if (head.hasRemaining()) {
                break;
            }
            queued.poll();
        }
        if (key != null && key.isValid()) {
            key.interestOps(interest());
        }
    }

    /** What was read from the TCP connection and not yet cut into messages. */
    ByteBuffer inbound() {
        return inbound;
    }

    /** What the socket is for, as the caller named it: "filtering", "mapping", a server's name. */
    public String role() {
        return role;
    }

    /** The bound address and port. */
    public InetSocketAddress local() {
        return local;
    }

    /** The peer it is connected to, if any. */
    public Optional<InetSocketAddress> peer() {
        return peer;
    }

    /** Whether it can still send: its socket is open (a relayed endpoint: always, its carrier decides). */
    public boolean isOpen() {
        return transport == Transport.RELAYED || channel().isOpen();
    }

    @Override
    public void close() {
        if (transport == Transport.RELAYED) {
            return; // nothing of its own: the allocation is released by the TURN client
        }
        try {
            channel().close();
        } catch (IOException e) {
            // Closing a socket cannot lose anything worth reporting: what was queued is moot.
        }
    }

    /** "filtering socket 192.168.1.2:50000", "relay TCP connection 192.168.1.2:40000", "peer relayed address 203.0.113.10:50000". */
    @Override
    public String toString() {
        String kind = switch (transport) {
            case UDP -> " socket ";
            case TCP -> " TCP connection ";
            case RELAYED -> " relayed address ";
        };
        return role + kind + AddressText.format(local);
    }
}
