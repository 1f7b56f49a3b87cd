package dev.natcheck.stunserver;

import dev.natcheck.address.AddressText;
import dev.natcheck.linux.LinuxUdp;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running STUN Binding responder: one UDP socket per listen address, four per family with an
 * RFC 5780 alternate (primary and alternate address x primary and alternate port), and one
 * receive loop thread per socket. {@link #start} binds every socket before it returns, so
 * {@link #boundAddresses()} holds the real ports even when port 0 asked for ephemeral ones.
 * Embeddable: {@code natcheck --local} runs one in-process. Thread-safe.
 */
public final class StunServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StunServer.class);

    /** Socket buffers: room for a burst of small datagrams while the loop is busy. */
    private static final int SOCKET_BUFFER = 4 << 20;
    /** Tries to find an ephemeral port free on both the primary and the alternate address. */
    private static final int EPHEMERAL_TRIES = 32;

    private final StunServerConfig config;
    private final SocketIo io;
    private final List<Endpoint> endpoints;
    private final List<ReceiveLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    /** This host's addresses as 4 or 16 bytes (IPv4-mapped IPv6 as 4). */
    private final byte[][] hostAddresses;

    private final int[] ownPorts;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Set by the first request dropped under the no-amplification rule (logged once). */
    private final AtomicBoolean amplificationDropSeen = new AtomicBoolean();
    /** Sources the browser check page vouches for; null until a {@link WebCheck} serves it. */
    private volatile ProvenSources provenSources;

    private volatile Throwable failure;
    private volatile boolean closed;

    private StunServer(StunServerConfig config, SocketIo io, List<Endpoint> endpoints) {
        this.config = config;
        this.io = io;
        this.endpoints = List.copyOf(endpoints);
        this.ownPorts = endpoints.stream().mapToInt(e -> e.port).distinct().toArray();
        this.hostAddresses = hostAddresses();
    }

    /**
     * Binds every socket the configuration asks for and starts the receive loops.
     *
     * @throws IOException if a socket cannot be bound (nothing is left open then)
     */
    public static StunServer start(StunServerConfig config) throws IOException {
        return start(config, SocketIo.AUTO);
    }

    /**
     * As {@link #start(StunServerConfig)}, with the socket I/O path chosen.
     *
     * @throws IllegalStateException if {@link SocketIo#BATCHED} is asked for where it cannot run
     */
    public static StunServer start(StunServerConfig config, SocketIo requested) throws IOException {
        SocketIo io = requested.resolve();
        if (io == SocketIo.BATCHED) {
            // Before any socket: linking in a receive loop would delay its first answers.
            LinuxUdp.linkAll();
        }
        List<Endpoint> endpoints = new ArrayList<>();
        try {
            for (InetAddress primary : listenAddresses(config)) {
                InetAddress alternate = config.alternate().stream()
                        .filter(a -> (a instanceof Inet4Address) == (primary instanceof Inet4Address))
                        .findFirst()
                        .orElse(null);
                if (alternate == null) {
                    endpoints.add(bindSingle(io, primary, config.port()));
                } else {
                    endpoints.addAll(bindQuartet(io, primary, alternate, config.port(), config.altPort()));
                }
            }
        } catch (IOException | RuntimeException e) {
            for (Endpoint endpoint : endpoints) {
                closeQuietly(endpoint.channel, endpoint.fd);
            }
            throw e;
        }
        StunServer server = new StunServer(config, io, endpoints);
        SourceRateLimiter limiter = config.rateLimit().enabled() ? new SourceRateLimiter(config.rateLimit()) : null;
        for (Endpoint endpoint : server.endpoints) {
            ReceiveLoop loop = new ReceiveLoop(endpoint, server, limiter, config);
            server.loops.add(loop);
            server.threads.add(
                    Thread.ofPlatform().daemon().name("stun-rx " + endpoint).unstarted(loop));
        }
        server.threads.forEach(Thread::start);
        log.info(
                "listening on UDP {}; socket I/O {}; RFC 5780 {}; amplification {}; rate limit {}",
                server.boundAddresses().stream().map(AddressText::format).toList(),
                io == SocketIo.BATCHED
                        ? "batched (recvmmsg/sendmmsg)"
                        : "NIO"
                                + (requested == SocketIo.AUTO
                                        ? " (batched unavailable: " + LinuxUdp.UNAVAILABLE_REASON + ")"
                                        : ""),
                config.rfc5780() ? "on" : "off (no alternate address)",
                config.allowAmplification() ? "allowed" : "refused (answers never exceed requests)",
                config.rateLimit());
        return server;
    }

    private static List<InetAddress> listenAddresses(StunServerConfig config) {
        if (config.listen().isEmpty()) {
            return List.of(wildcard());
        }
        LinkedHashSet<InetAddress> addresses = new LinkedHashSet<>(config.listen());
        // A dual-stack "::" socket already takes IPv4: binding 0.0.0.0 too would clash on the port.
        if (addresses.stream().anyMatch(a -> a.isAnyLocalAddress() && !(a instanceof Inet4Address))
                && dualStackAvailable()) {
            addresses.removeIf(a -> a.isAnyLocalAddress() && a instanceof Inet4Address);
        }
        return List.copyOf(addresses);
    }

    private static InetAddress wildcard() {
        return dualStackAvailable() ? InetAddress.ofLiteral("::") : InetAddress.ofLiteral("0.0.0.0");
    }

    private static boolean dualStackAvailable() {
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** A bound socket before it gets its place: a NIO channel or a native descriptor. */
    private record Bound(DatagramChannel channel, int fd, InetSocketAddress local) {
        void close() {
            closeQuietly(channel, fd);
        }
    }

    private static Endpoint bindSingle(SocketIo io, InetAddress address, int port) throws IOException {
        return endpoint(bind(io, address, port), 0, 0);
    }

    /**
     * The four RFC 5780 sockets. An ephemeral port is chosen on the primary address and then taken
     * on the alternate too (retrying if the alternate has it in use), so both addresses share the
     * primary port and both share the alternate port, as OTHER-ADDRESS promises.
     */
    private static List<Endpoint> bindQuartet(
            SocketIo io, InetAddress primary, InetAddress alternate, int port, int altPort) throws IOException {
        Bound[] pair0 = bindPair(io, primary, alternate, port, -1);
        Bound[] pair1;
        try {
            pair1 = bindPair(io, primary, alternate, altPort, pair0[0].local().getPort());
        } catch (IOException e) {
            pair0[0].close();
            pair0[1].close();
            throw e;
        }
        Endpoint[][] quartet = new Endpoint[2][2];
        quartet[0][0] = endpoint(pair0[0], 0, 0);
        quartet[1][0] = endpoint(pair0[1], 1, 0);
        quartet[0][1] = endpoint(pair1[0], 0, 1);
        quartet[1][1] = endpoint(pair1[1], 1, 1);
        List<Endpoint> all = List.of(quartet[0][0], quartet[0][1], quartet[1][0], quartet[1][1]);
        for (Endpoint e : all) {
            e.quartet = quartet;
        }
        return all;
    }

    private static Bound[] bindPair(SocketIo io, InetAddress primary, InetAddress alternate, int port, int avoid)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            Bound first = bind(io, primary, port);
            int chosen = first.local().getPort();
            if (chosen == avoid) {
                // Ephemeral pick landed on the other pair's port: RFC 5780 needs two distinct ports.
                first.close();
                continue;
            }
            try {
                return new Bound[] {first, bind(io, alternate, chosen)};
            } catch (BindException e) {
                first.close();
                if (port != 0 || attempt >= EPHEMERAL_TRIES) {
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                first.close();
                throw e;
            }
        }
    }

    private static Endpoint endpoint(Bound bound, int ipIndex, int portIndex) {
        return new Endpoint(bound.channel(), bound.fd(), bound.local(), ipIndex, portIndex);
    }

    private static Bound bind(SocketIo io, InetAddress address, int port) throws IOException {
        try {
            if (io == SocketIo.BATCHED) {
                int fd = LinuxUdp.open(address, port, SOCKET_BUFFER);
                try {
                    return new Bound(null, fd, LinuxUdp.localAddress(fd));
                } catch (IOException | RuntimeException e) {
                    LinuxUdp.closeFd(fd);
                    throw e;
                }
            }
            DatagramChannel channel = DatagramChannel.open(
                    address instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
            try {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
                channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
                channel.bind(new InetSocketAddress(address, port));
                return new Bound(channel, -1, (InetSocketAddress) channel.getLocalAddress());
            } catch (IOException | RuntimeException e) {
                closeQuietly(channel, -1);
                throw e;
            }
        } catch (IOException e) {
            String where = AddressText.format(address, port);
            String message = "cannot listen on UDP " + where + ": " + e.getMessage();
            if (e instanceof BindException) {
                // Kept a BindException: the RFC 5780 port search retries on exactly this.
                BindException described = new BindException(message);
                described.initCause(e);
                throw described;
            }
            throw new IOException(message, e);
        }
    }

    private static void closeQuietly(DatagramChannel channel, int fd) {
        if (channel == null) {
            if (fd >= 0) {
                LinuxUdp.closeFd(fd);
            }
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing {}: {}", channel, e.toString());
        }
    }

    private static byte[][] hostAddresses() {
        List<byte[]> all = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    byte[] b = new byte[16];
                    all.add(Arrays.copyOf(b, ReceiveLoop.addressBytes(a, b)));
                }
            }
        } catch (SocketException e) {
            log.debug("cannot list interface addresses: {}", e.toString());
        }
        return all.toArray(byte[][]::new);
    }

    /**
     * Whether {@code address[0 .. length):port} (4 bytes for IPv4, IPv4-mapped IPv6 included, or
     * 16) is one of this server's own sockets, or port 0: answering it would have the server talk
     * to itself. Allocation-free.
     */
    boolean isSelf(byte[] address, int length, int port) {
        if (port == 0) {
            return true;
        }
        boolean ourPort = false;
        for (int p : ownPorts) {
            ourPort |= p == port;
        }
        if (!ourPort) {
            return false;
        }
        for (Endpoint e : endpoints) {
            if (e.port != port) {
                continue;
            }
            if (e.knowsAddress()) {
                if (Arrays.equals(e.address, 0, e.address.length, address, 0, length)) {
                    return true;
                }
                continue;
            }
            // A wildcard socket: any of this host's addresses reaches it.
            if (isLoopbackOrWildcard(address, length)) {
                return true;
            }
            for (byte[] host : hostAddresses) {
                if (Arrays.equals(host, 0, host.length, address, 0, length)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isLoopbackOrWildcard(byte[] a, int length) {
        if (length == 4) {
            return a[0] == 127 || (a[0] | a[1] | a[2] | a[3]) == 0;
        }
        for (int i = 0; i < 15; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[15] == 0 || a[15] == 1;
    }

    /** True exactly once: for the first request any loop drops under the no-amplification rule. */
    boolean firstAmplificationDrop() {
        return !amplificationDropSeen.get() && amplificationDropSeen.compareAndSet(false, true);
    }

    /** The bound sockets with their places in the RFC 5780 quartet, in {@link #boundAddresses()} order. */
    List<Endpoint> endpoints() {
        return endpoints;
    }

    /** The sources proven by a recent TCP fetch of the check page, or null when none is served. */
    ProvenSources provenSources() {
        return provenSources;
    }

    /** The table {@link WebCheck} records page fetches in; created on first use. */
    synchronized ProvenSources enableProvenSources() {
        if (provenSources == null) {
            provenSources = new ProvenSources();
        }
        return provenSources;
    }

    /** The socket I/O path the receive loops use. */
    public SocketIo socketIo() {
        return io;
    }

    void failed(Endpoint endpoint, Throwable t) {
        if (closed) {
            return;
        }
        log.error("receive loop on {} failed", endpoint, t);
        failure = t;
        close();
    }

    /** The configuration this server runs with. */
    public StunServerConfig config() {
        return config;
    }

    /**
     * The bound sockets. Per listen address, in order: without an alternate its one socket; with
     * one the four RFC 5780 sockets primary:port, primary:altPort, alternate:port,
     * alternate:altPort. Port 0 in the configuration shows here as the port actually bound.
     */
    public List<InetSocketAddress> boundAddresses() {
        return endpoints.stream().map(e -> e.local).toList();
    }

    /** The current value of one counter, summed over every socket. */
    public long count(Counter counter) {
        long sum = 0;
        for (ReceiveLoop loop : loops) {
            sum += loop.counts.getAcquire(counter.ordinal());
        }
        return sum;
    }

    /** Every counter, summed over every socket. */
    public Map<Counter, Long> counts() {
        Map<Counter, Long> all = new EnumMap<>(Counter.class);
        for (Counter counter : Counter.values()) {
            all.put(counter, count(counter));
        }
        return all;
    }

    /** The error that stopped a receive loop (and with it the server), or null. */
    public Throwable failure() {
        return failure;
    }

    /** Whether {@link #close()} has been called or a loop failed. */
    public boolean isClosed() {
        return closed;
    }

    /** Blocks until the server is closed. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** Blocks until the server is closed or {@code timeout} passes; true if it stopped. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Closes every socket and waits briefly for the receive loops to end. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (Endpoint endpoint : endpoints) {
            if (endpoint.channel != null) {
                closeQuietly(endpoint.channel, -1);
            } else {
                // The descriptor is closed only once its loop has left recvmmsg, so the number cannot
                // be reused under it: shutdown wakes the loop, close comes after the join below.
                LinuxUdp.shutdown(endpoint.fd);
            }
        }
        for (Thread thread : threads) {
            if (thread != Thread.currentThread()) {
                try {
                    thread.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        for (Endpoint endpoint : endpoints) {
            if (endpoint.channel == null) {
                LinuxUdp.closeFd(endpoint.fd);
            }
        }
        Map<Counter, Long> counts = counts();
        long amplification = counts.get(Counter.DROPPED_AMPLIFICATION);
        log.info(
                "stopped; {}{}",
                counts,
                amplification == 0
                        ? ""
                        : "; " + amplification + " request(s) dropped because the answer would have been larger "
                                + "(--allow-amplification answers them)");
        stopped.countDown();
    }
}
