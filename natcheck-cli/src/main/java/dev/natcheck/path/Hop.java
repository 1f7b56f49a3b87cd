package dev.natcheck.path;

import java.net.InetAddress;
import java.util.Optional;

/**
 * One hop of the path toward the STUN server: the router (or host) whose ICMP message answered
 * the probe sent with this TTL, or empty when none answered in time.
 *
 * @param ttl the probe's IP TTL: 1 is the first router
 * @param address who answered, as the ICMP message's source
 */
public record Hop(int ttl, Optional<InetAddress> address) {

    public Hop {
        if (ttl < 1) {
            throw new IllegalArgumentException("TTL must be at least 1, got " + ttl);
        }
    }

    static Hop answered(int ttl, InetAddress address) {
        return new Hop(ttl, Optional.of(address));
    }

    static Hop silent(int ttl) {
        return new Hop(ttl, Optional.empty());
    }
}
