package dev.natcheck.classify;

import java.util.Set;

/**
 * User configuration the classifier needs: the CPE ASN allow-list of {@code --cpe-asn}.
 *
 * @param cpeAsns AS numbers of operators whose customers get a public address on their own
 *     router; empty means "no ASN check configured"
 */
public record ClassifyPolicy(Set<Long> cpeAsns) {

    /** No {@code --cpe-asn}: private inside addresses are taken as a home router's NAT. */
    public static final ClassifyPolicy NO_ASN_CHECK = new ClassifyPolicy(Set.of());

    public ClassifyPolicy {
        cpeAsns = Set.copyOf(cpeAsns);
    }

    public boolean asnCheckConfigured() {
        return !cpeAsns.isEmpty();
    }
}
