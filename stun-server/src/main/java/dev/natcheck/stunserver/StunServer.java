package dev.natcheck.stunserver;

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
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
  private final List<Endpoint> endpoints;
  private final List<ReceiveLoop> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final InetAddress[] hostAddresses;
  private final int[] ownPorts;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Throwable failure;
  private volatile boolean closed;

  private StunServer(StunServerConfig config, List<Endpoint> endpoints) {
    this.config = config;
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
    List<Endpoint> endpoints = new ArrayList<>();
    try {
      for (InetAddress primary : listenAddresses(config)) {
        InetAddress alternate = config.alternate().stream()
            .filter(a -> (a instanceof Inet4Address) == (primary instanceof Inet4Address))
            .findFirst().orElse(null);
        if (alternate == null) {
          endpoints.add(bindSingle(primary, config.port()));
        } else {
          endpoints.addAll(bindQuartet(primary, alternate, config.port(), config.altPort()));
        }
      }
    } catch (IOException | RuntimeException e) {
      for (Endpoint endpoint : endpoints) {
        closeQuietly(endpoint.channel);
      }
      throw e;
    }
    StunServer server = new StunServer(config, endpoints);
    SourceRateLimiter limiter =
        config.rateLimit().enabled() ? new SourceRateLimiter(config.rateLimit()) : null;
    for (Endpoint endpoint : server.endpoints) {
      ReceiveLoop loop = new ReceiveLoop(endpoint, server, limiter, config);
      server.loops.add(loop);
      server.threads.add(Thread.ofPlatform().daemon().name("stun-rx " + endpoint).unstarted(loop));
    }
    server.threads.forEach(Thread::start);
    log.info("listening on UDP {}; RFC 5780 {}; amplification {}; rate limit {}",
        server.boundAddresses().stream().map(StunServer::format).toList(),
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

  private static Endpoint bindSingle(InetAddress address, int port) throws IOException {
    DatagramChannel channel = bind(address, port);
    return new Endpoint(channel, (InetSocketAddress) channel.getLocalAddress(), 0, 0);
  }

  /**
   * The four RFC 5780 sockets. An ephemeral port is chosen on the primary address and then taken
   * on the alternate too (retrying if the alternate has it in use), so both addresses share the
   * primary port and both share the alternate port, as OTHER-ADDRESS promises.
   */
  private static List<Endpoint> bindQuartet(InetAddress primary, InetAddress alternate, int port,
      int altPort) throws IOException {
    DatagramChannel[] pair0 = bindPair(primary, alternate, port, -1);
    DatagramChannel[] pair1;
    try {
      pair1 = bindPair(primary, alternate, altPort, localPort(pair0[0]));
    } catch (IOException e) {
      closeQuietly(pair0[0]);
      closeQuietly(pair0[1]);
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

  private static DatagramChannel[] bindPair(InetAddress primary, InetAddress alternate, int port,
      int avoid) throws IOException {
    for (int attempt = 1; ; attempt++) {
      DatagramChannel first = bind(primary, port);
      int chosen = localPort(first);
      if (chosen == avoid) {
        // Ephemeral pick landed on the other pair's port: RFC 5780 needs two distinct ports.
        closeQuietly(first);
        continue;
      }
      try {
        return new DatagramChannel[] {first, bind(alternate, chosen)};
      } catch (BindException e) {
        closeQuietly(first);
        if (port != 0 || attempt >= EPHEMERAL_TRIES) {
          throw e;
        }
      } catch (IOException | RuntimeException e) {
        closeQuietly(first);
        throw e;
      }
    }
  }

  private static Endpoint endpoint(DatagramChannel channel, int ipIndex, int portIndex)
      throws IOException {
    return new Endpoint(channel, (InetSocketAddress) channel.getLocalAddress(), ipIndex, portIndex);
  }

  private static int localPort(DatagramChannel channel) throws IOException {
    return ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  private static DatagramChannel bind(InetAddress address, int port) throws IOException {
    DatagramChannel channel = DatagramChannel.open(
        address instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
    try {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
      channel.bind(new InetSocketAddress(address, port));
      return channel;
    } catch (IOException e) {
      closeQuietly(channel);
      String where = format(new InetSocketAddress(address, port));
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

  private static void closeQuietly(DatagramChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing {}: {}", channel, e.toString());
    }
  }

  private static InetAddress[] hostAddresses() {
    List<InetAddress> all = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        all.addAll(Collections.list(nic.getInetAddresses()));
      }
    } catch (SocketException e) {
      log.debug("cannot list interface addresses: {}", e.toString());
    }
    return all.toArray(InetAddress[]::new);
  }

  /**
   * Whether {@code address:port} is one of this server's own sockets (or port 0): answering it
   * would have the server talk to itself. Allocation-free.
   */
  boolean isSelf(InetAddress address, int port) {
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
      InetAddress local = e.local.getAddress();
      if (local.equals(address)) {
        return true;
      }
      if (local.isAnyLocalAddress()) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
          return true;
        }
        for (InetAddress host : hostAddresses) {
          if (host.equals(address)) {
            return true;
          }
        }
      }
    }
    return false;
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
      closeQuietly(endpoint.channel);
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
    log.info("stopped; {}", counts());
    stopped.countDown();
  }

  /** {@code 192.0.2.1:3478} or {@code [2001:db8::1]:3478}. */
  static String format(InetSocketAddress address) {
    InetAddress a = address.getAddress();
    String host = a.getHostAddress();
    int scope = host.indexOf('%');
    if (scope >= 0) {
      host = host.substring(0, scope);
    }
    return (a instanceof Inet4Address ? host : "[" + host + "]") + ":" + address.getPort();
  }
}
