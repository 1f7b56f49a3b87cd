package dev.natcheck.classify;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What TTL-limited probes saw on the way out: the routers that answered, in TTL order up to the
 * first public one, and at which hop the probe's own mapped address answered, i.e. how far away
 * the outermost NAT is (1: the first router holds the public address).
 *
 * @param hops the routers that answered, each with its TTL; TTLs nobody answered are missing
 * @param mappedAddressHop the TTL at which the mapped address itself answered, when it did
 */
public record OutboundPath(List<Hop> hops, OptionalInt mappedAddressHop) {

    /** One router on the way: the TTL that expired there and the address it answered from. */
    public record Hop(int ttl, InetAddress address) {
        public Hop {
            if (ttl < 1) {
                throw new IllegalArgumentException("TTL " + ttl + " < 1");
            }
            Objects.requireNonNull(address, "address");
        }
    }

    public OutboundPath {
        hops = List.copyOf(hops);
        Objects.requireNonNull(mappedAddressHop, "mappedAddressHop");
    }

    /** The first hop in 100.64.0.0/10 (RFC 6598 shared space: a carrier's inside network), if any. */
    public java.util.Optional<Hop> carrierHop() {
        return hops.stream().filter(h -> AddressScope.isShared(h.address())).findFirst();
    }

    /**
     * Whether the outermost NAT is shown to sit beyond the first router: the mapped address
     * answered at hop 2 or later, and a router with another address answered at a TTL before it.
     * Without that earlier router a lost answer could pass for distance (the TTL-1 probe lost,
     * the TTL-2 probe answered by a first router that does hold the address).
     */
    public boolean outermostNatBeyondFirstHop(InetAddress mapped) {
        if (mappedAddressHop.isEmpty() || mappedAddressHop.getAsInt() < 2) {
            return false;
        }
        int distance = mappedAddressHop.getAsInt();
        return hops.stream().anyMatch(h -> h.ttl() < distance && !h.address().equals(mapped));
    }
}
