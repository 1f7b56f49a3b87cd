package dev.natcheck.punch;

import dev.natcheck.address.AddressText;
import java.net.InetSocketAddress;
import java.util.Objects;

/** One transport address a peer may be reached at, and where it comes from. */
public record Candidate(CandidateType type, InetSocketAddress address) {

    public Candidate {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("candidate address must be resolved: " + address);
        }
    }

    /** "srflx 198.51.100.2:40000". */
    @Override
    public String toString() {
        return type.shortName() + " " + AddressText.format(address);
    }
}
