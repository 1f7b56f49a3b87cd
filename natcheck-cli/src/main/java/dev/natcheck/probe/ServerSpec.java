package dev.natcheck.probe;

import dev.natcheck.address.AddressText;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A STUN server as the user wrote it: {@code HOST[:PORT]}, where HOST is a name, an IPv4
 * literal, or an IPv6 literal ({@code [2001:db8::1]:3478}, or bare without a port).
 */
public record ServerSpec(String host, int port) {

    /** The STUN port (RFC 8489 section 18.4). */
    public static final int DEFAULT_PORT = 3478;

    public ServerSpec {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range 1..65535");
        }
    }

    /**
     * Parses {@code HOST[:PORT]}.
     *
     * @throws IllegalArgumentException with a one-line reason when {@code text} is not a server
     */
    public static ServerSpec parse(String text) {
        String host = text;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "': missing ']' after the IPv6 address");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("'" + text + "': expected ':PORT' after ']'");
                }
                port = rest.substring(1);
            }
            if (!(AddressText.parseAddress(host).orElse(null) instanceof Inet6Address)) {
                throw new IllegalArgumentException("'" + text + "': '" + host + "' in brackets is not an IPv6 address");
            }
        } else if (text.indexOf(':') != text.lastIndexOf(':')) {
            // Two or more colons without brackets: a bare IPv6 literal, no port possible.
            if (AddressText.parseAddress(text).isEmpty()) {
                throw new IllegalArgumentException(
                        "'" + text + "' is not an IPv6 address (write [IPV6]:PORT for a port)");
            }
        } else if (text.indexOf(':') >= 0) {
            host = text.substring(0, text.indexOf(':'));
            port = text.substring(text.indexOf(':') + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "': empty host");
        }
        if (AddressText.parseAddress(host).isEmpty() && !isHostName(host)) {
            throw new IllegalArgumentException(
                    "'" + text + "': '" + host + "' is neither an IP address nor a host name");
        }
        int portNumber = DEFAULT_PORT;
        if (port != null) {
            portNumber = AddressText.parsePort(port);
            if (portNumber < 1) {
                throw new IllegalArgumentException("'" + text + "': port '" + port + "' is not a number in 1..65535");
            }
        }
        return new ServerSpec(host, portNumber);
    }

    /** The IP literal the host is, when it is one. */
    public Optional<InetAddress> literal() {
        return AddressText.parseAddress(host);
    }

    @Override
    public String toString() {
        return AddressText.hostAndPort(host, port);
    }

    private static boolean isHostName(String host) {
        if (host.length() > 253 || host.startsWith(".") || host.contains("..")) {
            return false;
        }
        String[] labels = host.split("\\.");
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || c == '-'
                        || c == '_';
                if (!ok) {
                    return false;
                }
            }
        }
        // All-numeric dotted names are malformed IPv4 literals, not host names.
        return !host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}
