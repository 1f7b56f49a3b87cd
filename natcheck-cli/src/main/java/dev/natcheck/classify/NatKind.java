package dev.natcheck.classify;

/** Which translator was found, independent of symmetric mapping or UDP blocking; the JSON {@code nat} field. */
public enum NatKind {
    NONE,
    CPE,
    CGNAT,
    NAT66,
    UNKNOWN
}
