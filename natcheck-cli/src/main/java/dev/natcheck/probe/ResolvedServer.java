package dev.natcheck.probe;

import dev.natcheck.address.AddressText;
import java.net.InetSocketAddress;
import java.util.Objects;

/** A server the user named, resolved to one address of the probe's family. */
public record ResolvedServer(ServerSpec spec, InetSocketAddress address) {

    public ResolvedServer {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(address, "address");
    }

    /** "stun.example.org:3478 (203.0.113.1:3478)", or just the address for a literal. */
    public String label() {
        String resolved = AddressText.format(address);
        return spec.literal().isPresent() ? resolved : spec + " (" + resolved + ")";
    }
}
