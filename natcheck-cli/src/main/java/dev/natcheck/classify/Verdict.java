package dev.natcheck.classify;

/** What stands between one interface/family and the Internet; the JSON {@code verdict} field. */
public enum Verdict {
    NO_NAT,
    CPE_NAT,
    CG_NAT,
    NAT66,
    SYMMETRIC_NAT,
    UDP_BLOCKED,
    /** Nothing answered at all, over UDP or TCP: silence, or silence and refusals. */
    BLOCKED,
    /** Every server refused over UDP (ICMP port unreachable) and over TCP (reset): nothing listens there. */
    REFUSED,
    /** Servers answered, but without a usable address (a STUN error, no mapped address, a malformed line). */
    SERVER_ERROR,
    /** No server name resolved, so nothing could be asked. */
    UNRESOLVED;

    /** Whether the probe learned the outside address: the verdicts that say something about the NAT. */
    public boolean outsideKnown() {
        return switch (this) {
            case NO_NAT, CPE_NAT, CG_NAT, NAT66, SYMMETRIC_NAT, UDP_BLOCKED -> true;
            case BLOCKED, REFUSED, SERVER_ERROR, UNRESOLVED -> false;
        };
    }
}
