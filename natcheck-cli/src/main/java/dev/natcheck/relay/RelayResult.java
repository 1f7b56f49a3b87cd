package dev.natcheck.relay;

/** What a relay's check found, worst news last but one; the text and JSON {@code result}. */
public enum RelayResult {
    /** Allocated, and datagrams sent to the relayed address came back through the relay. */
    OK,
    /** Allocated, but nothing sent through the relay came back. */
    NO_RELAY_PATH,
    /** The relay wants credentials natcheck does not have, or refused the ones given (401). */
    AUTH_FAILED,
    /** The relay answered the Allocate with another error (403, 437, 442, 486, 508, ...). */
    REJECTED,
    /** Something answered, but never with a usable TURN answer: not a TURN server, or garbage. */
    NOT_TURN,
    /** ICMP port unreachable, or the TCP connection was refused or broke. */
    REFUSED,
    /** Silence until the deadline. */
    NO_ANSWER,
    /** The relay's name did not resolve (to an address of the family asked for). */
    UNRESOLVED;

    /** Whether this relay can carry traffic. */
    public boolean works() {
        return this == OK;
    }
}
