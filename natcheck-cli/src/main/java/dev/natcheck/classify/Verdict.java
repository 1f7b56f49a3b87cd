package dev.natcheck.classify;

/** What stands between one interface/family and the Internet; the JSON {@code verdict} field. */
public enum Verdict {
    NO_NAT,
    CPE_NAT,
    CG_NAT,
    NAT66,
    SYMMETRIC_NAT,
    UDP_BLOCKED,
    BLOCKED
}
