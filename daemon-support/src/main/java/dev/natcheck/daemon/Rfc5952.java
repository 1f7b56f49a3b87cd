package dev.natcheck.daemon;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Addresses as people and logs should read them: IPv4 dotted, IPv6 in RFC 5952 section 4 form
 * ({@code 2001:db8::1}, {@code ::1}, never {@code 0:0:0:0:0:0:0:1}), in brackets before a port.
 * An IPv4-mapped IPv6 address (a dual-stack socket's view of an IPv4 peer) is written as the IPv4
 * address it carries, and no zone is written.
 */
public final class Rfc5952 {

    private Rfc5952() {}

    /** {@code 192.0.2.1}, {@code 2001:db8::1}: the address alone, no brackets. */
    public static String host(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4(bytes, 0);
        }
        return isIpv4Mapped(bytes) ? ipv4(bytes, 12) : ipv6(bytes);
    }

    /** {@code 192.0.2.1:3478} or {@code [2001:db8::1]:3478}. */
    public static String socket(InetAddress address, int port) {
        String host = host(address);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@link #socket(InetAddress, int)} of a socket address; its host name, if any, is not used. */
    public static String socket(InetSocketAddress address) {
        return address.getAddress() == null
                ? address.getHostString() + ":" + address.getPort()
                : socket(address.getAddress(), address.getPort());
    }

    /**
     * The 16 bytes of an IPv6 address in RFC 5952 section 4 form: lower case, no leading zeros,
     * the longest run of two or more zero groups as {@code ::}, the first of equal runs.
     */
    public static String ipv6(byte[] bytes) {
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
}
