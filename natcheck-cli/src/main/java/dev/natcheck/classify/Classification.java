package dev.natcheck.classify;

import java.util.List;
import java.util.Objects;

/** The classifier's answer: a verdict, the NAT kind behind it, and the evidence that produced both. */
public record Classification(Verdict verdict, NatKind nat, List<String> evidence) {

    public Classification {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(nat, "nat");
        evidence = List.copyOf(evidence);
    }
}
