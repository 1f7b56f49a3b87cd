package dev.natcheck.classify;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Where an address lives, as far as NAT classification cares.
 *
 * <p>"Public" is everything not listed before it; documentation ranges (192.0.2.0/24,
 * 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) count as public on purpose, because the test
 * lab uses them as stand-ins for Internet addresses (docs/design.md §3).
 */
public enum AddressScope {
    /** 0.0.0.0/8, :: */
    UNSPECIFIED,
    /** 127.0.0.0/8, ::1 */
    LOOPBACK,
    /** 169.254.0.0/16, fe80::/10 */
    LINK_LOCAL,
    /** RFC 1918: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 */
    PRIVATE,
    /** RFC 6598 shared address space 100.64.0.0/10, the CG-NAT inside range */
    SHARED,
    /** RFC 4193 unique local addresses fc00::/7 */
    ULA,
    /** 224.0.0.0/4, ff00::/8 */
    MULTICAST,
    PUBLIC;

    /** The scope of {@code address}; IPv4-mapped IPv6 addresses arrive here as IPv4 already. */
    public static AddressScope of(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int a0 = b[0] & 0xFF;
            int a1 = b[1] & 0xFF;
            if (a0 == 0) {
                return UNSPECIFIED;
            }
            if (a0 == 127) {
                return LOOPBACK;
            }
            if (a0 == 169 && a1 == 254) {
                return LINK_LOCAL;
            }
            if (a0 == 10 || (a0 == 172 && (a1 & 0xF0) == 16) || (a0 == 192 && a1 == 168)) {
                return PRIVATE;
            }
            if (a0 == 100 && (a1 & 0xC0) == 64) {
                return SHARED;
            }
            if (a0 >= 224 && a0 <= 239) {
                return MULTICAST;
            }
            return PUBLIC;
        }
        if (address.isAnyLocalAddress()) {
            return UNSPECIFIED;
        }
        if (address.isLoopbackAddress()) {
            return LOOPBACK;
        }
        if ((b[0] & 0xFF) == 0xFE && (b[1] & 0xC0) == 0x80) {
            return LINK_LOCAL;
        }
        if ((b[0] & 0xFE) == 0xFC) {
            return ULA;
        }
        if ((b[0] & 0xFF) == 0xFF) {
            return MULTICAST;
        }
        return PUBLIC;
    }

    /** True for 100.64.0.0/10 (RFC 6598). */
    public static boolean isShared(InetAddress address) {
        return of(address) == SHARED;
    }

    /** True for 10.0.0.0/8, the one RFC 1918 block carriers also number subscribers from. */
    public static boolean isTenSlashEight(InetAddress address) {
        return address instanceof Inet4Address && (address.getAddress()[0] & 0xFF) == 10;
    }
}
