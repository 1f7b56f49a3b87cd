package dev.natcheck.whoami;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
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

    /** The address part of the line, without the newline: {@code host:port}, IPv6 in brackets. */
    public static String text(InetSocketAddress client) {
        return hostText(client.getAddress()) + ":" + client.getPort();
    }

    /**
     * An address as the line writes it: IPv4 dotted quad, IPv6 in RFC 5952 form inside brackets.
     * IPv4-mapped IPv6 addresses (a dual-stack socket's view of an IPv4 client) are written as the
     * IPv4 address they carry, and no IPv6 zone is written: the zone names an interface of the
     * server, not part of the client's address.
     */
    public static String hostText(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4(bytes, 0);
        }
        if (address instanceof Inet6Address && isIpv4Mapped(bytes)) {
            return ipv4(bytes, 12);
        }
        return "[" + rfc5952(bytes) + "]";
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private static String ipv4(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) + "." + (bytes[offset + 1] & 0xff) + "." + (bytes[offset + 2] & 0xff) + "."
                + (bytes[offset + 3] & 0xff);
    }

    /**
     * The 16 bytes of an IPv6 address in RFC 5952 section 4 form: lower case, no leading zeros,
     * the longest run of 2+ zero groups as ::. natcheck's own output uses it too.
     */
    public static String rfc5952(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is never shortened (RFC 5952 section 4.2.2)
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            // Strictly longer: on a tie the first run wins (RFC 5952 section 4.2.3).
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
