package dev.natcheck.transaction;

import dev.natcheck.address.AddressText;
import dev.natcheck.stun.Framing;
import dev.natcheck.stun.StunParseException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@link Transactions} over real sockets, on one thread and one selector: any number of endpoints
 * (UDP sockets, TCP connections, addresses on TURN relays), any number of transactions on each,
 * answers told apart by transaction id. Each
 * transaction is reported once when it settles, so the caller can start what depended on it.
 */
public final class TransactionLoop extends Transactions implements AutoCloseable {

    private static final int MAX_DATAGRAM = 65_535;

    private final Selector selector;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final ByteBuffer receive = ByteBuffer.allocate(MAX_DATAGRAM);
    private final SplittableRandom random = new SplittableRandom();
    /** When the datagram being handled arrived, and whether one is being handled. */
    private long arrival;

    private boolean handling;

    /** A loop whose transactions start as soon as they are submitted. */
    public TransactionLoop(Consumer<Ignored> ignored) throws IOException {
        this(Optional.empty(), ignored);
    }

    /** A loop whose new transactions wait for their slot from {@code pacer}. */
    public TransactionLoop(Pacer pacer, Consumer<Ignored> ignored) throws IOException {
        this(Optional.of(pacer), ignored);
    }

    private TransactionLoop(Optional<Pacer> pacer, Consumer<Ignored> ignored) throws IOException {
        super(System::nanoTime, (from, to, datagram) -> from.send(datagram, to), pacer, ignored);
        this.selector = Selector.open();
    }

    /** A new socket on {@code address}, the kernel's choice of port, connected to {@code peer} when given. */
    public Endpoint open(String role, InetAddress address, Optional<InetSocketAddress> peer) throws IOException {
        return register(Endpoint.open(role, address, peer, Optional.empty()));
    }

    /** Like {@link #open}, on a port drawn at random from the dynamic range (RFC 5780 section 4.1). */
    public Endpoint openOnRandomPort(String role, InetAddress address, Optional<InetSocketAddress> peer)
            throws IOException {
        return register(Endpoint.open(role, address, peer, Optional.of(random)));
    }

    /**
     * A TCP connection from {@code address} to {@code server}, STUN and ChannelData messages back to
     * back on it; the connection completes in {@link #run}, and a request submitted before waits in
     * the endpoint's queue. A refused, closed or garbled connection ends the transactions running
     * on it as refused.
     */
    public Endpoint connect(String role, InetAddress address, InetSocketAddress server) throws IOException {
        return register(Endpoint.connect(role, address, server));
    }

    /**
     * An endpoint at {@code relayed}, an address on a TURN relay: what is sent from it goes to
     * {@code carrier}, and what arrives for it the TURN client hands to {@link #deliver}.
     * Transactions run on it as on any socket.
     */
    public Endpoint relayed(String role, InetSocketAddress relayed, Endpoint.Carrier carrier) {
        Endpoint endpoint = Endpoint.relayed(role, relayed, carrier);
        endpoints.add(endpoint);
        return endpoint;
    }

    /**
     * A datagram that arrived for a relayed endpoint from {@code source} (the TURN client took it
     * out of a Data indication or a ChannelData message): checked as an answer, else handed to the
     * endpoint's handler. Only on this loop's thread, i.e. from a handler or a settle callback.
     */
    public void deliver(Endpoint relayed, InetSocketAddress source, byte[] datagram) {
        // Inside a handler, the datagram that carried this one arrived when that one did.
        received(relayed, source, datagram, datagram.length, handling ? arrival : System.nanoTime());
    }

    private Endpoint register(Endpoint endpoint) throws IOException {
        try {
            int interest = endpoint.transport() == Endpoint.Transport.TCP ? endpoint.interest() : SelectionKey.OP_READ;
            endpoint.registered(endpoint.channel().register(selector, interest, endpoint));
        } catch (IOException | RuntimeException e) {
            endpoint.close();
            throw e;
        }
        endpoints.add(endpoint);
        return endpoint;
    }

    /**
     * Runs until nothing waits or runs, or until {@code deadlineNanos} ({@link System#nanoTime()}),
     * which ends the rest unanswered and cut short, unreported. {@code onSettled} hears of each
     * settled transaction once, on this thread, and may submit more.
     */
    public void run(long deadlineNanos, Consumer<Transaction> onSettled) throws IOException, InterruptedException {
        runUntil(deadlineNanos, onSettled, this::idle);
    }

    /**
     * Like {@link #run}, but running out of transactions does not end it: it runs until
     * {@code finished} says so (asked before every wait, after what was due has run) or until
     * the deadline. Meanwhile datagrams that answer none of our transactions keep going to their
     * endpoints' handlers, which may answer them and submit more: a peer-to-peer check answers a
     * peer's requests while its own are over. {@link #wakeup()} makes it ask again at once.
     */
    public void runUntil(long deadlineNanos, Consumer<Transaction> onSettled, BooleanSupplier finished)
            throws IOException, InterruptedException {
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            drainSettled(onSettled);
            long wake = poll();
            if (hasSettled()) {
                continue; // settling may start dependent transactions: start them before sleeping
            }
            idle(); // forgets the settled ones, whoever asks
            if (finished.getAsBoolean()) {
                return;
            }
            long now = System.nanoTime();
            if (now >= deadlineNanos) {
                cancelAll();
                return;
            }
            long waitNanos = Math.min(wake, deadlineNanos) - now;
            if (waitNanos <= 0) {
                selector.selectNow();
            } else {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)));
            }
            for (SelectionKey key : selector.selectedKeys()) {
                Endpoint endpoint = (Endpoint) key.attachment();
                if (endpoint.transport() == Endpoint.Transport.TCP) {
                    serve(endpoint, key);
                } else {
                    drain(endpoint);
                }
            }
            selector.selectedKeys().clear();
        }
    }

    private void drain(Endpoint endpoint) {
        while (true) {
            receive.clear();
            SocketAddress source;
            try {
                source = endpoint.datagramChannel().receive(receive);
            } catch (PortUnreachableException e) {
                refused(endpoint, "ICMP port unreachable");
                return;
            } catch (IOException e) {
                refused(endpoint, "receive failed: " + e.getMessage());
                return;
            }
            if (source == null) {
                return;
            }
            arrive(System.nanoTime());
            try {
                received(endpoint, (InetSocketAddress) source, receive.array(), receive.position(), arrival);
            } finally {
                handling = false;
            }
        }
    }

    /** A TCP endpoint the selector named: completes its connection, writes what waits, cuts what arrived into messages. */
    private void serve(Endpoint endpoint, SelectionKey key) {
        String server = AddressText.format(endpoint.peer().orElseThrow());
        try {
            if (key.isValid() && key.isConnectable()) {
                endpoint.finishConnect();
            }
            if (key.isValid() && key.isWritable()) {
                endpoint.flush();
            }
        } catch (IOException e) {
            broken(endpoint, "TCP connection to " + server + " failed: " + e.getMessage());
            return;
        }
        if (!key.isValid() || !key.isReadable()) {
            return;
        }
        ByteBuffer inbound = endpoint.inbound();
        int read;
        try {
            read = endpoint.streamChannel().read(inbound);
        } catch (IOException e) {
            broken(endpoint, "TCP connection to " + server + " broke: " + e.getMessage());
            return;
        }
        arrive(System.nanoTime());
        try {
            frames(endpoint, server, inbound, read);
        } finally {
            handling = false;
        }
    }

    /** Marks the datagrams handled from here on as arrived at {@code now}, for {@link #deliver}. */
    private void arrive(long now) {
        arrival = now;
        handling = true;
    }

    /** Cuts what was read from a TCP connection into messages and checks each. */
    private void frames(Endpoint endpoint, String server, ByteBuffer inbound, int read) {
        InetSocketAddress peer = endpoint.peer().orElseThrow();
        inbound.flip();
        while (true) {
            int length;
            try {
                length = Framing.STREAM.frameLength(inbound.array(), inbound.position(), inbound.remaining());
            } catch (StunParseException e) {
                // The framing is lost: show what came (it will not decode), then give the connection up.
                byte[] rest = Arrays.copyOfRange(inbound.array(), inbound.position(), inbound.limit());
                received(endpoint, peer, rest, rest.length, arrival);
                broken(
                        endpoint,
                        "TCP connection to " + server + " carries neither STUN nor ChannelData (" + e.getMessage()
                                + ")");
                return;
            }
            if (length < 0 || length > inbound.remaining()) {
                break;
            }
            byte[] frame = Arrays.copyOfRange(inbound.array(), inbound.position(), inbound.position() + length);
            inbound.position(inbound.position() + length);
            received(endpoint, peer, frame, frame.length, arrival);
        }
        if (read < 0) {
            if (inbound.hasRemaining()) {
                byte[] rest = Arrays.copyOfRange(inbound.array(), inbound.position(), inbound.limit());
                received(endpoint, peer, rest, rest.length, arrival);
                broken(endpoint, "TCP connection closed by " + server + " in the middle of a message");
            } else {
                broken(endpoint, "TCP connection closed by " + server);
            }
            return;
        }
        inbound.compact();
    }

    /** Closes a failed TCP endpoint and ends what runs on it, saying {@code why}. */
    private void broken(Endpoint endpoint, String why) {
        endpoint.close();
        brokenConnection(endpoint, why);
    }

    /** Makes a waiting {@link #runUntil} ask its condition again now; callable from any thread. */
    public void wakeup() {
        selector.wakeup();
    }

    /** Closes every endpoint and the selector. */
    @Override
    public void close() {
        for (Endpoint endpoint : endpoints) {
            endpoint.close();
        }
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
