package dev.natcheck.classify;

/**
 * What came back over one transport (UDP STUN or the TCP whoami echo), as far as the classifier
 * cares: an address, an answer without one, a refusal, or silence.
 */
public enum Reply {
    /** A usable answer: the outside address. */
    ADDRESS,
    /**
     * Something answered, but nothing usable: a STUN error answer, a success without a mapped
     * address, a malformed STUN message or whoami line. The path works; the server is at fault.
     */
    UNUSABLE,
    /**
     * Every server refused: ICMP port unreachable for UDP, a reset for TCP. The packets arrived
     * somewhere; nothing listens there, or a firewall rejects them.
     */
    REFUSED,
    /** Nothing came back in time. */
    SILENT,
    /** Not tried: no server had an address to send to (UDP), or not needed or not reached (TCP). */
    NOT_TRIED
}
