package dev.natcheck.whoami;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link WhoamiServer} listens on and how long it keeps clients.
 *
 * @param listen addresses to listen on; empty means every address, IPv4 and IPv6 (dual stack)
 * @param port TCP port on each listen address; 0 picks an ephemeral port per address
 * @param maxConnections most client connections held open at once; at the limit the oldest is
 *     closed to make room for a new client, which has always already been sent its line unless
 *     its socket would not take 64 bytes
 * @param idleTimeout how long after accept a connection may stay open before it is closed
 */
public record WhoamiConfig(List<InetAddress> listen, int port, int maxConnections, Duration idleTimeout) {

    /** The well-known whoami port (docs/design.md §8). */
    public static final int DEFAULT_PORT = 8080;

    /** Default connection limit: far above any honest load, far below the unit's fd limit. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    /** Default idle timeout: long enough for a slow link to take the line and close. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);

    public WhoamiConfig {
        listen = List.copyOf(Objects.requireNonNull(listen, "listen"));
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
        }
    }

    /** Every address, the default port, limit and timeout. */
    public static WhoamiConfig defaults() {
        return new WhoamiConfig(List.of(), DEFAULT_PORT, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT);
    }

    /** Loopback only on an ephemeral port: what an in-process server (natcheck --local) wants. */
    public static WhoamiConfig loopbackEphemeral() {
        return new WhoamiConfig(
                List.of(InetAddress.getLoopbackAddress()), 0, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT);
    }

    /** This configuration with another port. */
    public WhoamiConfig withPort(int newPort) {
        return new WhoamiConfig(listen, newPort, maxConnections, idleTimeout);
    }
}
