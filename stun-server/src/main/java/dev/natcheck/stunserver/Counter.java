package dev.natcheck.stunserver;

/** What happened to each datagram the server received: one counter per outcome. */
public enum Counter {
    /** Every datagram received, whatever became of it. */
    RECEIVED("received", "datagrams received"),
    /** Binding success responses sent. */
    ANSWERED("answered", "Binding success responses sent"),
    /** Error responses sent (400, 420). */
    ANSWERED_ERROR("answered_error", "Binding error responses sent (400, 420)"),
    /** Not a well-formed STUN message: other protocols, truncated or corrupt datagrams. */
    DROPPED_MALFORMED("malformed", "dropped: not a well-formed STUN message"),
    /** A STUN response or indication: never answered, so two servers cannot talk to each other. */
    DROPPED_NOT_REQUEST("not_request", "dropped: STUN response or indication"),
    /** A request for a method other than Binding. */
    DROPPED_NOT_BINDING("not_binding", "dropped: request for a method other than Binding"),
    /** The answer would have been larger than the request (no amplification). */
    DROPPED_AMPLIFICATION("amplification", "dropped: answer larger than the request"),
    /** The source had used up its token bucket. */
    DROPPED_RATE_LIMITED("rate_limited", "dropped: source over its rate limit"),
    /** The answer would have gone to this server's own socket, or to port 0. */
    DROPPED_LOOP("loop", "dropped: answer would go to this server itself or to port 0"),
    /** The operating system refused to send the answer. */
    SEND_FAILED("send_failed", "answers the operating system refused to send");

    private final String label;
    private final String help;

    Counter(String label, String help) {
        this.label = label;
        this.help = help;
    }

    /** Short snake_case name, used as a metric label. */
    public String label() {
        return label;
    }

    /** One-line description. */
    public String help() {
        return help;
    }

    /** Whether this counts a datagram that got no answer. */
    public boolean isDrop() {
        return name().startsWith("DROPPED_");
    }
}
