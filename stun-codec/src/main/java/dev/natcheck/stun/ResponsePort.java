package dev.natcheck.stun;

/**
 * RESPONSE-PORT (RFC 5780 §7.5): the port the server should send its answer to. Written as the
 * RFC's 4-byte value (port, then 2 bytes of padding); read in that form and in the 2-byte form
 * some implementations send.
 */
public record ResponsePort(int port) implements StunAttribute {

    public ResponsePort {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
    }

    @Override
    public int type() {
        return AttributeType.RESPONSE_PORT;
    }
}
