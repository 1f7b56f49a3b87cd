package dev.natcheck.gateway;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What one protocol got from one gateway.
 *
 * @param server the address the answer came from (or the request went to, when none came)
 * @param external the external address the gateway named; empty when it named none
 * @param result {@code ok}, the protocol's name for an error result (e.g. {@code
 *     network-failure}, {@code no-resources}, {@code upnp-error-501}), or why nothing usable came
 *     back: {@code no-answer}, {@code refused} (ICMP port unreachable), {@code malformed},
 *     {@code no-service} (no UPnP gateway found), {@code failed} (a local error)
 * @param note one line of evidence saying what happened, for people
 */
public record GatewayAnswer(
        Protocol protocol, InetSocketAddress server, Optional<InetAddress> external, String result, String note) {

    /** The result of an answer that named the external address without error. */
    public static final String OK = "ok";
    /** Nothing came back in time. */
    public static final String NO_ANSWER = "no-answer";
    /** ICMP port unreachable: nothing listens there. */
    public static final String REFUSED = "refused";
    /** Something came back, but nothing of it could be read. */
    public static final String MALFORMED = "malformed";
    /** The gateway answered without error but named no usable external address (0.0.0.0, empty). */
    public static final String NO_EXTERNAL_ADDRESS = "no-external-address";
    /** A local error (no socket, no route): natcheck could not ask. */
    public static final String FAILED = "failed";

    public GatewayAnswer {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(external, "external");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(note, "note");
    }

    /** True when the gateway itself answered, whatever it said (not silence, not a refusal). */
    public boolean answered() {
        return !result.equals(NO_ANSWER) && !result.equals(REFUSED) && !result.equals(FAILED);
    }
}
