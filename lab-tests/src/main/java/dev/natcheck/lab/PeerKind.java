package dev.natcheck.lab;

import java.util.Locale;

/**
 * What one side of a {@link PeerPair} sits behind, as lab/netlab.sh builds it; docs/lab.md says
 * how each is made. The names are the RFC 3489 ones, which natcheck's behaviour discovery also
 * prints; mapping and filtering are RFC 4787's.
 */
public enum PeerKind {
    /** On the access network itself, nothing translated or filtered. */
    OPEN("open", "open"),
    /** Endpoint-independent mapping and filtering: MASQUERADE plus a DMZ DNAT. */
    FULL_CONE("fullcone", "full-cone"),
    /** Endpoint-independent mapping, address-dependent filtering: the DMZ DNAT behind an nftables filter. */
    RESTRICTED_CONE("restricted", "restricted-cone"),
    /** Endpoint-independent mapping, address-and-port-dependent filtering: plain MASQUERADE. */
    PORT_RESTRICTED_CONE("portrestricted", "port-restricted-cone"),
    /** A new random port for every destination: MASQUERADE --random-fully. */
    SYMMETRIC("symmetric", "symmetric"),
    /** MASQUERADE with every forwarded UDP datagram dropped. */
    UDP_BLOCKED("udpblocked", "blocked"),
    /**
     * A symmetric NAT that counts: each new flow gets the next port from 20000 up (nftables snat
     * with a counter). Not one of the six kinds of {@link PeerPair#all()}: it is what sequential
     * port prediction needs to be shown working.
     */
    SEQUENTIAL_SYMMETRIC("sequential", "symmetric");

    private final String scriptName;
    private final String rfc3489Name;

    PeerKind(String scriptName, String rfc3489Name) {
        this.scriptName = scriptName;
        this.rfc3489Name = rfc3489Name;
    }

    /** The kind as lab/netlab.sh spells it in {@code pair-KIND-KIND}. */
    public String scriptName() {
        return scriptName;
    }

    /** What natcheck's behaviour discovery calls it ({@code rfc3489_type}). */
    public String rfc3489Name() {
        return rfc3489Name;
    }

    /** True when a router translates for this side (every kind but {@link #OPEN}). */
    public boolean hasRouter() {
        return this != OPEN;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
