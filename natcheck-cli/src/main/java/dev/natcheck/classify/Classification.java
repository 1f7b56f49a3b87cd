package dev.natcheck.classify;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The classifier's answer: a verdict, the NAT kind behind it, how many NATs in a row, and the
 * evidence that produced them.
 *
 * @param natLayers NATs between this host and the server that natcheck has evidence of: 0 none, 1,
 *     2 when a second NAT shows (the gateway's own word, the path); empty when nothing answered
 */
public record Classification(Verdict verdict, NatKind nat, List<String> evidence, OptionalInt natLayers) {

    public Classification {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(nat, "nat");
        evidence = List.copyOf(evidence);
        Objects.requireNonNull(natLayers, "natLayers");
    }

    /** A classification whose NAT count is not known. */
    public Classification(Verdict verdict, NatKind nat, List<String> evidence) {
        this(verdict, nat, evidence, OptionalInt.empty());
    }

    /** The same classification with {@code more} evidence lines after its own. */
    public Classification withEvidence(List<String> more) {
        List<String> all = new java.util.ArrayList<>(evidence);
        all.addAll(more);
        return new Classification(verdict, nat, all, natLayers);
    }
}
