package dev.natcheck.lab;

import java.util.Locale;

/** A namespace's part in a topology. */
public enum Role {
    /** The host under test. */
    CLI,
    /** A home router (customer-premises equipment). */
    CPE,
    /** The first of two home routers in a row (double NAT): the one on the access network. */
    CPE0,
    /** A carrier's NAT. */
    CGN,
    /** The second client of a peer-to-peer topology ({@link PeerPair}). */
    PEER,
    /** The second client's router, when its side has one. */
    PEER_CPE,
    /** The stand-in Internet's router. */
    INET,
    /** The server host with two IPv4 and two IPv6 addresses. */
    SRV;

    /** The suffix lab/netlab.sh gives this role's namespace. */
    public String scriptName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
