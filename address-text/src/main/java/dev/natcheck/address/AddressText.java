package dev.natcheck.address;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Addresses as text, both ways, without ever touching DNS: the one place natcheck turns an
 * address into text or text into an address, for the CLI's output, the whoami line, the daemons'
 * logs and flags, and the codec's {@code toString}. IPv4 as a dotted quad, IPv6 in RFC 5952
 * canonical form, a socket address as {@code 198.51.100.7:40000} or {@code [2001:db8::7]:40000}.
 */
public final class AddressText {

    private AddressText() {}

    /**
     * Dotted quad, or RFC 5952 compressed lower-case IPv6 (longest zero run as "::"). No zone: it
     * names an interface of this host, not part of the address. An IPv4-mapped IPv6 address (a
     * dual-stack socket's view of an IPv4 peer) is written as the IPv4 address it carries.
     */
    public static String format(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return ipv4(bytes, 0);
        }
        return isIpv4Mapped(bytes) ? ipv4(bytes, 12) : rfc5952(bytes);
    }

    /** {@code 192.0.2.1:3478} or {@code [2001:db8::1]:3478}; an unresolved one as its host name. */
    public static String format(InetSocketAddress socketAddress) {
        InetAddress address = socketAddress.getAddress();
        if (address == null) {
            return hostAndPort(socketAddress.getHostString(), socketAddress.getPort());
        }
        return format(address, socketAddress.getPort());
    }

    /** {@code 192.0.2.1:3478} or {@code [2001:db8::1]:3478}. */
    public static String format(InetAddress address, int port) {
        return hostAndPort(format(address), port);
    }

    /** {@code host:port}, the host in brackets when it is an IPv6 literal (it has a colon). */
    public static String hostAndPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
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
     * the longest run of 2+ zero groups as ::.
     */
    private static String rfc5952(byte[] bytes) {
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

    /** An IP literal (no brackets), or empty when {@code text} is not one; never resolves names. */
    public static Optional<InetAddress> parseAddress(String text) {
        if (text.isEmpty() || text.indexOf('%') >= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(text.indexOf(':') >= 0 ? Inet6Address.ofLiteral(text) : strictIpv4(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Strictly parses {@code a.b.c.d:port} or {@code [v6]:port} (port 0..65535, decimal, no
     * sign, no leading zeros beyond "0" itself); empty for anything else.
     */
    public static Optional<InetSocketAddress> parseSocketAddress(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                return Optional.empty();
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
            if (host.indexOf(':') < 0) {
                return Optional.empty();
            }
        } else {
            int colon = text.indexOf(':');
            if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
                return Optional.empty();
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        int portNumber = parsePort(port);
        if (portNumber < 0) {
            return Optional.empty();
        }
        return parseAddress(host).map(a -> new InetSocketAddress(a, portNumber));
    }

    /** A decimal port 0..65535 without sign or superfluous leading zeros, or -1. */
    public static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5 || (text.length() > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 65535 ? value : -1;
    }

    // Inet4Address.ofLiteral also takes BSD forms like "10.1" or octal; a flag, the whoami line
    // and the ASN files only ever carry the plain dotted quad, anything else is a mistake.
    private static InetAddress strictIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a dotted quad: " + text);
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                throw new IllegalArgumentException("bad octet in " + text);
            }
            int value = 0;
            for (int k = 0; k < part.length(); k++) {
                char c = part.charAt(k);
                if (c < '0' || c > '9') {
                    throw new IllegalArgumentException("bad octet in " + text);
                }
                value = value * 10 + (c - '0');
            }
            if (value > 255) {
                throw new IllegalArgumentException("octet above 255 in " + text);
            }
            bytes[i] = (byte) value;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
