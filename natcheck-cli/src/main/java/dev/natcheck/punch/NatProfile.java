package dev.natcheck.punch;

import dev.natcheck.behavior.EndpointDependence;
import java.util.Objects;
import java.util.Optional;

/**
 * What one peer knows about the NAT in front of it, as its token tells the other: whether UDP got
 * an answer at all, whether the address is translated, RFC 4787 mapping and filtering (RFC 5780's
 * tests), and how new mappings get their ports. Unknown parts are empty: a finding is never guessed.
 */
public record NatProfile(
        boolean udpAnswered,
        Optional<Boolean> translated,
        Optional<EndpointDependence> mapping,
        Optional<EndpointDependence> filtering,
        PortPattern ports) {

    public NatProfile {
        Objects.requireNonNull(translated, "translated");
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(filtering, "filtering");
        Objects.requireNonNull(ports, "ports");
        if (!udpAnswered && (translated.isPresent() || mapping.isPresent() || filtering.isPresent())) {
            throw new IllegalArgumentException("without a UDP answer nothing about the NAT is known");
        }
    }

    /** No UDP answer: blocked, or every answer lost. */
    public static NatProfile udpBlocked() {
        return new NatProfile(false, Optional.empty(), Optional.empty(), Optional.empty(), PortPattern.UNKNOWN);
    }

    /**
     * True when one mapping serves every destination: endpoint-independent mapping, or no
     * translation at all (a firewall without NAT keeps the host's own port for everyone).
     */
    public boolean mappingIndependent() {
        return translated.equals(Optional.of(false))
                || mapping.equals(Optional.of(EndpointDependence.ENDPOINT_INDEPENDENT));
    }

    /** True when the mapping is known to depend on the destination (a symmetric NAT). */
    public boolean mappingDependent() {
        return !mappingIndependent() && mapping.isPresent();
    }

    /** True when anyone may send to the mapped address: endpoint-independent mapping and filtering. */
    public boolean reachable() {
        return udpAnswered
                && mappingIndependent()
                && filtering.equals(Optional.of(EndpointDependence.ENDPOINT_INDEPENDENT));
    }

    /**
     * The RFC 3489-style name with the RFC 4787 findings: "port-restricted cone (EIM/APDF)",
     * "no NAT (EIF)", "UDP blocked", "symmetric (APDM/APDF, ports random)".
     */
    public String describe() {
        if (!udpAnswered) {
            return "UDP blocked";
        }
        String m = mapping.map(d -> d.abbreviation('M')).orElse("mapping unknown");
        String f = filtering.map(d -> d.abbreviation('F')).orElse("filtering unknown");
        if (translated.equals(Optional.of(false))) {
            return filtering.equals(Optional.of(EndpointDependence.ENDPOINT_INDEPENDENT))
                    ? "no NAT (EIF)"
                    : "no NAT, filtered (" + f + ")";
        }
        String name;
        if (mapping.isEmpty()) {
            name = "NAT";
        } else if (mappingDependent()) {
            name = "symmetric";
        } else {
            name = filtering
                    .map(d -> switch (d) {
                        case ENDPOINT_INDEPENDENT -> "full cone";
                        case ADDRESS_DEPENDENT -> "restricted cone";
                        case ADDRESS_AND_PORT_DEPENDENT -> "port-restricted cone";
                    })
                    .orElse("cone");
        }
        String allocation =
                mappingDependent() && ports.allocation() != PortAllocation.UNKNOWN ? ", ports " + ports : "";
        return name + " (" + m + "/" + f + allocation + ")";
    }
}
