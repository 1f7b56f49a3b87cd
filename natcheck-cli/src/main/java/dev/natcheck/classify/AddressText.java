package dev.natcheck.classify;

import dev.natcheck.whoami.AddressLine;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Addresses as text, both ways, without ever touching DNS: RFC 5952 canonical IPv6, and the
 * {@code 198.51.100.7:40000} / {@code [2001:db8::7]:40000} form of the whoami line and JSON output.
 */
public final class AddressText {

    private AddressText() {}

    /** Dotted quad, or RFC 5952 compressed lower-case IPv6 (longest zero run as "::", no scope). */
    public static String format(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        // The whoami line's own formatter: the server writes and natcheck prints the same text.
        return AddressLine.rfc5952(address.getAddress());
    }

    /** {@code 192.0.2.1:3478} or {@code [2001:db8::1]:3478}. */
    public static String format(InetSocketAddress socketAddress) {
        InetAddress address = socketAddress.getAddress();
        if (address == null) {
            return socketAddress.getHostString() + ":" + socketAddress.getPort();
        }
        String host = format(address);
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + socketAddress.getPort();
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

    // Inet4Address.ofLiteral also takes BSD forms like "10.1" or octal; the whoami line and
    // the ASN files only ever carry the plain dotted quad, anything else is malformed.
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
