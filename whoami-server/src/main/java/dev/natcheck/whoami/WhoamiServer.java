package dev.natcheck.whoami;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running whoami server: one thread around an NIO selector that writes each accepted client
 * its {@link AddressLine} and closes.
 *
 * <p>The line is written in the accept handler itself, followed at once by a FIN, so a client
 * has its answer before the server looks at any other socket. The socket is then kept, without
 * interpreting anything, until the client closes its side: closing while the client's bytes sit
 * unread (an HTTP client, a port scanner's banner probe) would make the kernel send a reset that
 * can destroy the line before the client reads it. Anything the client sends meanwhile is
 * dropped unread beyond {@value #DISCARD_LIMIT} bytes. Held connections cost one descriptor and
 * no thread; {@link WhoamiConfig#idleTimeout()} and {@link WhoamiConfig#maxConnections()} bound
 * them, and since a held client already has its line, closing the oldest to make room for a new
 * one takes nothing from it.
 */
public final class WhoamiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WhoamiServer.class);

    /** Accept queue asked of the kernel (capped by net.core.somaxconn): bursts wait, not drop. */
    static final int BACKLOG = 4096;

    /** A client may send this much while being held; more and it is cut off. */
    static final int DISCARD_LIMIT = 4096;

    /** Accepts in one go before the selector looks at the other sockets again. */
    private static final int ACCEPT_BATCH = 256;

    /** Pause after accept() failed with nothing to free (descriptor limit reached elsewhere). */
    private static final long ACCEPT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final WhoamiConfig config;
    private final long idleNanos;
    private final Selector selector;
    private final List<ServerSocketChannel> listeners;
    private final List<InetSocketAddress> boundAddresses;
    private final Thread loop;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object lifecycle = new Object();
    private boolean stopRequested; // guarded by lifecycle
    private boolean selectorClosed; // guarded by lifecycle
    private volatile Throwable failure;

    private volatile int openConnections;
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();

    // Owned by the loop thread. Deadlines are accept time + one fixed timeout, so accept order is
    // deadline order: the head is both the next to time out and the oldest to evict.
    private final LinkedHashSet<Connection> connections = new LinkedHashSet<>();
    private final ByteBuffer discard = ByteBuffer.allocateDirect(512);
    private long acceptResumeAt;
    private boolean acceptPaused;
    private long lastAcceptWarning;

    private WhoamiServer(
            WhoamiConfig config,
            Selector selector,
            List<ServerSocketChannel> listeners,
            List<InetSocketAddress> boundAddresses) {
        this.config = config;
        this.idleNanos = config.idleTimeout().toNanos();
        this.selector = selector;
        this.listeners = listeners;
        this.boundAddresses = boundAddresses;
        this.loop = Thread.ofPlatform().name("whoami-selector").daemon(true).unstarted(this::run);
    }

    /**
     * Binds every listen address of {@code config} and starts serving. Throws if any address
     * cannot be bound, leaving nothing bound behind.
     */
    public static WhoamiServer start(WhoamiConfig config) throws IOException {
        Selector selector = Selector.open();
        List<ServerSocketChannel> listeners = new ArrayList<>();
        try {
            if (config.listen().isEmpty()) {
                listenEverywhere(config.port(), listeners);
            } else {
                for (InetAddress address : config.listen()) {
                    listeners.add(listen(new InetSocketAddress(address, config.port())));
                }
            }
            List<InetSocketAddress> bound = new ArrayList<>();
            for (ServerSocketChannel listener : listeners) {
                listener.configureBlocking(false);
                listener.register(selector, SelectionKey.OP_ACCEPT);
                bound.add((InetSocketAddress) listener.getLocalAddress());
            }
            WhoamiServer server = new WhoamiServer(config, selector, listeners, List.copyOf(bound));
            server.loop.start();
            log.info(
                    "listening on {} (max {} connections, idle timeout {})",
                    bound.stream().map(AddressLine::text).toList(),
                    config.maxConnections(),
                    humanDuration(config.idleTimeout()));
            return server;
        } catch (IOException | RuntimeException e) {
            for (ServerSocketChannel listener : listeners) {
                closeQuietly(listener);
            }
            closeQuietly(selector);
            throw e;
        }
    }

    /**
     * Every address, both families: one IPv6 wildcard socket takes IPv4 too (as IPv4-mapped
     * addresses) unless the host set net.ipv6.bindv6only, in which case an IPv4 wildcard socket
     * is added; without IPv6 at all, the IPv4 wildcard alone.
     */
    private static void listenEverywhere(int port, List<ServerSocketChannel> listeners) throws IOException {
        ServerSocketChannel v6;
        try {
            v6 = ServerSocketChannel.open(StandardProtocolFamily.INET6);
        } catch (UnsupportedOperationException | IOException noIpv6) {
            log.debug("no IPv6 socket ({}): listening on IPv4 only", noIpv6.toString());
            listeners.add(listen(new InetSocketAddress("0.0.0.0", port)));
            return;
        }
        listeners.add(bind(v6, new InetSocketAddress("::", port)));
        if (ipv6OnlyByDefault()) {
            int v6Port = ((InetSocketAddress) v6.getLocalAddress()).getPort();
            listeners.add(listen(new InetSocketAddress("0.0.0.0", v6Port)));
        }
    }

    private static boolean ipv6OnlyByDefault() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv6/bindv6only"))
                    .trim()
                    .equals("1");
        } catch (IOException | RuntimeException notLinux) {
            return false;
        }
    }

    private static ServerSocketChannel listen(InetSocketAddress address) throws IOException {
        StandardProtocolFamily family = address.getAddress() instanceof Inet4Address
                ? StandardProtocolFamily.INET
                : StandardProtocolFamily.INET6;
        return bind(ServerSocketChannel.open(family), address);
    }

    private static ServerSocketChannel bind(ServerSocketChannel channel, InetSocketAddress address) throws IOException {
        try {
            // Java sets SO_REUSEADDR on server sockets, so a restart is not blocked by TIME_WAIT.
            return channel.bind(address, BACKLOG);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IOException("cannot listen on " + AddressLine.text(address) + ": " + e.getMessage(), e);
        }
    }

    /** The addresses actually bound, with the real port when the configuration asked for 0. */
    public List<InetSocketAddress> boundAddresses() {
        return boundAddresses;
    }

    /** The configuration this server runs with. */
    public WhoamiConfig config() {
        return config;
    }

    /** Client connections held at this moment (line sent, waiting for the client to close). */
    public int openConnections() {
        return openConnections;
    }

    /** Clients whose line was written completely, since start. */
    public long served() {
        return served.get();
    }

    /** Connections closed to stay within {@link WhoamiConfig#maxConnections()}, since start. */
    public long evicted() {
        return evicted.get();
    }

    /** Connections closed by {@link WhoamiConfig#idleTimeout()}, since start. */
    public long timedOut() {
        return timedOut.get();
    }

    /** Blocks until the server has stopped, by {@link #close()} or by a failure. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** Why the server stopped on its own, or null when it runs or was closed. */
    public Throwable failure() {
        return failure;
    }

    /** Stops accepting, closes every socket and waits (up to 5 s) for the server thread. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            stopRequested = true;
            if (!selectorClosed) {
                selector.wakeup();
            }
        }
        if (Thread.currentThread() == loop) {
            return;
        }
        try {
            if (!stopped.await(5, TimeUnit.SECONDS)) {
                log.warn("server thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean stopRequested() {
        synchronized (lifecycle) {
            return stopRequested;
        }
    }

    private void run() {
        try {
            while (!stopRequested()) {
                selector.select(this::handle, selectTimeoutMillis(System.nanoTime()));
                long now = System.nanoTime();
                expire(now);
                if (acceptPaused && now - acceptResumeAt >= 0) {
                    setAccepting(true);
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
            log.error("whoami server stopped by an unexpected error", e);
        } finally {
            shutDown();
        }
    }

    /** 0 (wait for I/O only) when nothing is due, else the milliseconds until the next deadline. */
    private long selectTimeoutMillis(long now) {
        long next = Long.MAX_VALUE;
        if (!connections.isEmpty()) {
            next = connections.getFirst().deadline - now;
        }
        if (acceptPaused) {
            next = Math.min(next, acceptResumeAt - now);
        }
        if (next == Long.MAX_VALUE) {
            return 0;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(next) + 1);
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.channel() instanceof ServerSocketChannel listener) {
            acceptAll(listener);
            return;
        }
        Connection connection = (Connection) key.attachment();
        try {
            if (key.isWritable()) {
                finishWrite(connection);
            } else if (key.isReadable()) {
                drain(connection);
            }
        } catch (IOException clientGone) {
            close(connection);
        }
    }

    private void acceptAll(ServerSocketChannel listener) {
        for (int i = 0; i < ACCEPT_BATCH; i++) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                acceptFailed(e);
                return;
            }
            if (channel == null) {
                return;
            }
            serve(channel, System.nanoTime());
        }
    }

    /**
     * accept() fails for want of descriptors (EMFILE/ENFILE). The pending client stays in the
     * accept queue and the listener stays ready, so retrying at once would spin: give back a held
     * connection if there is one, else stop accepting for a moment.
     */
    private void acceptFailed(IOException e) {
        long now = System.nanoTime();
        if (now - lastAcceptWarning >= WARN_INTERVAL_NANOS || lastAcceptWarning == 0) {
            lastAcceptWarning = now;
            log.warn(
                    "accept failed with {} connections held: {} (raise LimitNOFILE / ulimit -n, "
                            + "or lower --max-connections)",
                    connections.size(),
                    e.getMessage());
        }
        if (!connections.isEmpty()) {
            evictOldest();
        } else {
            acceptResumeAt = now + ACCEPT_PAUSE_NANOS;
            setAccepting(false);
        }
    }

    private void setAccepting(boolean accepting) {
        acceptPaused = !accepting;
        for (ServerSocketChannel listener : listeners) {
            SelectionKey key = listener.keyFor(selector);
            if (key != null && key.isValid()) {
                key.interestOps(accepting ? SelectionKey.OP_ACCEPT : 0);
            }
        }
    }

    private void serve(SocketChannel channel, long now) {
        if (connections.size() >= config.maxConnections()) {
            evictOldest();
        }
        Connection connection = new Connection(channel, now + idleNanos);
        try {
            channel.configureBlocking(false);
            connection.line = ByteBuffer.wrap(AddressLine.encode((InetSocketAddress) channel.getRemoteAddress()));
            channel.write(connection.line);
            if (connection.line.hasRemaining()) {
                // Practically never on a fresh socket; wait for room rather than block everyone.
                connection.key = channel.register(selector, SelectionKey.OP_WRITE, connection);
            } else {
                lineWritten(connection);
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            }
            connections.add(connection);
            openConnections = connections.size();
        } catch (IOException clientGone) {
            // Reset before we could answer: there is nobody to tell.
            closeQuietly(channel);
        }
    }

    private void lineWritten(Connection connection) throws IOException {
        served.incrementAndGet();
        connection.channel.shutdownOutput();
    }

    private void finishWrite(Connection connection) throws IOException {
        connection.channel.write(connection.line);
        if (!connection.line.hasRemaining()) {
            lineWritten(connection);
            connection.key.interestOps(SelectionKey.OP_READ);
        }
    }

    /** Reads and drops what a held client sends, until it closes or has sent too much. */
    private void drain(Connection connection) throws IOException {
        while (true) {
            discard.clear();
            int n = connection.channel.read(discard);
            if (n < 0) {
                close(connection); // the client closed: the normal end of a connection
                return;
            }
            if (n == 0) {
                return;
            }
            connection.discarded += n;
            if (connection.discarded > DISCARD_LIMIT) {
                log.debug("closing {}: sent more than {} bytes", connection, DISCARD_LIMIT);
                close(connection);
                return;
            }
        }
    }

    private void expire(long now) {
        Iterator<Connection> it = connections.iterator();
        while (it.hasNext()) {
            Connection connection = it.next();
            if (connection.deadline - now > 0) {
                break;
            }
            it.remove();
            timedOut.incrementAndGet();
            closeChannel(connection);
        }
        openConnections = connections.size();
    }

    private void evictOldest() {
        Connection oldest = connections.removeFirst();
        evicted.incrementAndGet();
        closeChannel(oldest);
        openConnections = connections.size();
    }

    private void close(Connection connection) {
        connections.remove(connection);
        closeChannel(connection);
        openConnections = connections.size();
    }

    private static void closeChannel(Connection connection) {
        if (connection.key != null) {
            connection.key.cancel();
        }
        closeQuietly(connection.channel);
    }

    private void shutDown() {
        for (Connection connection : connections) {
            closeChannel(connection);
        }
        connections.clear();
        openConnections = 0;
        for (ServerSocketChannel listener : listeners) {
            closeQuietly(listener);
        }
        synchronized (lifecycle) {
            selectorClosed = true;
            closeQuietly(selector);
        }
        log.info(
                "stopped: {} clients served, {} closed at the connection limit, {} timed out",
                served.get(),
                evicted.get(),
                timedOut.get());
        stopped.countDown();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing on the way out: there is nothing useful to do with a failure here.
        }
    }

    static String humanDuration(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    /** One client socket and what is left to do for it. */
    private static final class Connection {
        final SocketChannel channel;
        final long deadline;
        ByteBuffer line;
        SelectionKey key;
        int discarded;

        Connection(SocketChannel channel, long deadline) {
            this.channel = channel;
            this.deadline = deadline;
        }

        @Override
        public String toString() {
            try {
                return channel.getRemoteAddress() instanceof InetSocketAddress remote
                        ? AddressLine.text(remote)
                        : String.valueOf(channel.getRemoteAddress());
            } catch (IOException closed) {
                return "closed connection";
            }
        }
    }
}
