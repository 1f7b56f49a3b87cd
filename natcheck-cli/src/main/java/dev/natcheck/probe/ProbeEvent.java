package dev.natcheck.probe;

/** What a stage reports when it ends; drives {@link ProbeState#next(ProbeEvent)}. */
public enum ProbeEvent {
    /** UDP_STUN: a valid Binding success response. */
    BINDING_OK,
    /** UDP_STUN: no valid answer inside the deadline. */
    UDP_TIMEOUT,
    /** UDP_STUN: ICMP port/network unreachable from every server. */
    ICMP_UNREACHABLE,
    /** UDP_STUN: servers answered, but no answer held a usable mapped address (a STUN error, say). */
    STUN_UNUSABLE,
    /** TCP_ECHO: a well-formed whoami line. */
    ECHO_OK,
    /** TCP_ECHO: no connection or no line inside the deadline. */
    TCP_TIMEOUT,
    /** TCP_ECHO: every connection refused. */
    TCP_REFUSED,
    /** TCP_ECHO: connected, but the line was malformed. */
    ECHO_MALFORMED
}
