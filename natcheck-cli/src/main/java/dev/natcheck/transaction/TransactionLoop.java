package dev.natcheck.transaction;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@link Transactions} over real UDP sockets, on one thread and one selector: any number of
 * endpoints, any number of transactions on each, answers told apart by transaction id. Each
 * transaction is reported once when it settles, so the caller can start what depended on it.
 */
public final class TransactionLoop extends Transactions implements AutoCloseable {

    private static final int MAX_DATAGRAM = 65_535;

    private final Selector selector;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final ByteBuffer receive = ByteBuffer.allocate(MAX_DATAGRAM);
    private final SplittableRandom random = new SplittableRandom();

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

    private Endpoint register(Endpoint endpoint) throws IOException {
        try {
            endpoint.channel.register(selector, SelectionKey.OP_READ, endpoint);
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
                drain((Endpoint) key.attachment());
            }
            selector.selectedKeys().clear();
        }
    }

    private void drain(Endpoint endpoint) {
        while (true) {
            receive.clear();
            SocketAddress source;
            try {
                source = endpoint.channel.receive(receive);
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
            received(endpoint, (InetSocketAddress) source, receive.array(), receive.position());
        }
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
