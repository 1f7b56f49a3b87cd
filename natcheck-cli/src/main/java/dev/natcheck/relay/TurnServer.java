package dev.natcheck.relay;

import dev.natcheck.probe.ServerSpec;
import java.util.Locale;
import java.util.Objects;

/**
 * A TURN relay as the user named it: {@code HOST[:PORT]} (UDP), or a TURN URI as WebRTC
 * configurations write them (RFC 7065), {@code turn:HOST[:PORT][?transport=udp|tcp]}. Over TCP
 * the client talks to the server on a TCP connection and the relayed allocation is still UDP
 * (RFC 8656 section 3.1): what reaches a relay from a network that blocks UDP. TURN over TLS
 * ({@code turns:}) and TCP allocations (RFC 6062) are not supported.
 */
public record TurnServer(ServerSpec spec, Transport transport) {

    /** The TURN port over UDP and TCP (RFC 8656 section 18.4, the STUN port). */
    public static final int DEFAULT_PORT = ServerSpec.DEFAULT_PORT;

    /** How natcheck talks to the server; the allocation it asks for is UDP either way. */
    public enum Transport {
        UDP("udp"),
        TCP("tcp");

        private final String wireName;

        Transport(String wireName) {
            this.wireName = wireName;
        }

        /** "udp", "tcp": the URI parameter, the text and JSON value. */
        public String wireName() {
            return wireName;
        }
    }

    public TurnServer {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(transport, "transport");
    }

    /**
     * Parses {@code HOST[:PORT]} or {@code turn:HOST[:PORT][?transport=udp|tcp]}.
     *
     * @throws IllegalArgumentException with a one-line reason when {@code text} names no relay
     *     natcheck can use
     */
    public static TurnServer parse(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("turns:")) {
            throw new IllegalArgumentException("'" + text + "': TURN over TLS (turns:) is not supported; use"
                    + " turn:HOST[:PORT]?transport=tcp or udp");
        }
        if (lower.startsWith("stun:") || lower.startsWith("stuns:")) {
            throw new IllegalArgumentException(
                    "'" + text + "' is a STUN server, not a TURN relay (give it to natcheck -s instead)");
        }
        String rest = lower.startsWith("turn:") ? text.substring("turn:".length()) : text;
        Transport transport = Transport.UDP;
        int query = rest.indexOf('?');
        if (query >= 0) {
            String parameter = rest.substring(query + 1).toLowerCase(Locale.ROOT);
            rest = rest.substring(0, query);
            transport = switch (parameter) {
                case "transport=udp" -> Transport.UDP;
                case "transport=tcp" -> Transport.TCP;
                default ->
                    throw new IllegalArgumentException("'" + text + "': unknown '?" + parameter
                            + "' (the only parameter is ?transport=udp or ?transport=tcp)");
            };
        }
        return new TurnServer(ServerSpec.parse(rest), transport);
    }

    /** "127.0.0.1:3478" over UDP, "turn:127.0.0.1:3478?transport=tcp" over TCP: how the report names it. */
    @Override
    public String toString() {
        return transport == Transport.UDP ? spec.toString() : "turn:" + spec + "?transport=tcp";
    }
}
