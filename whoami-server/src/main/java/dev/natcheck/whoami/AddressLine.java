package dev.natcheck.whoami;

import dev.natcheck.address.AddressText;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** The whoami wire format: {@code 198.51.100.7:40000\n} or {@code [2001:db8::7]:40000\n}. */
public final class AddressLine {

    /** The protocol's hard limit on a line, newline included (docs/design.md §5). */
    public static final int MAX_BYTES = 64;

    private AddressLine() {}

    /** The line for a client seen at {@code client}, newline included, as US-ASCII bytes. */
    public static byte[] encode(InetSocketAddress client) {
        byte[] line = (text(client) + "\n").getBytes(StandardCharsets.US_ASCII);
        // The longest possible line, "[" + 39 hex/colon characters + "]:65535\n", is 48 bytes.
        assert line.length <= MAX_BYTES : line.length;
        return line;
    }

    /**
     * The address part of the line, without the newline: {@code host:port}, IPv4 as a dotted quad,
     * IPv6 in RFC 5952 form inside brackets. IPv4-mapped IPv6 addresses (a dual-stack socket's
     * view of an IPv4 client) are written as the IPv4 address they carry, and no IPv6 zone is
     * written: the zone names an interface of the server, not part of the client's address.
     */
    public static String text(InetSocketAddress client) {
        return AddressText.format(client);
    }
}
