package dev.natcheck.probe;

/**
 * The per-interface, per-family probe states of docs/design.md §2 and the transitions between them.
 *
 * <pre>
 * UDP_STUN --BINDING_OK-----------------------&gt; CLASSIFY
 * UDP_STUN --UDP_TIMEOUT / ICMP_UNREACHABLE / STUN_UNUSABLE--&gt; TCP_ECHO
 * TCP_ECHO --ECHO_OK--------------------------&gt; CLASSIFY
 * TCP_ECHO --TCP_TIMEOUT / TCP_REFUSED / ECHO_MALFORMED--&gt; FAIL_BLOCKED
 * </pre>
 */
public enum ProbeState {
    UDP_STUN,
    TCP_ECHO,
    CLASSIFY,
    FAIL_BLOCKED;

    /** The state {@code event} leads to from this one. */
    public ProbeState next(ProbeEvent event) {
        ProbeState next = switch (this) {
            case UDP_STUN ->
                switch (event) {
                    case BINDING_OK -> CLASSIFY;
                    case UDP_TIMEOUT, ICMP_UNREACHABLE, STUN_UNUSABLE -> TCP_ECHO;
                    default -> null;
                };
            case TCP_ECHO ->
                switch (event) {
                    case ECHO_OK -> CLASSIFY;
                    case TCP_TIMEOUT, TCP_REFUSED, ECHO_MALFORMED -> FAIL_BLOCKED;
                    default -> null;
                };
            case CLASSIFY, FAIL_BLOCKED -> null;
        };
        if (next == null) {
            throw new IllegalStateException("no transition from " + this + " on " + event);
        }
        return next;
    }

    /** CLASSIFY and FAIL_BLOCKED end the probe. */
    public boolean isTerminal() {
        return this == CLASSIFY || this == FAIL_BLOCKED;
    }
}
