package dev.natcheck.linux;

import java.net.InetAddress;
import java.util.Optional;

/**
 * One {@code struct sock_extended_err} from a socket's error queue ({@code ip(7)},
 * {@code <linux/errqueue.h>}): the error, where it came from, the ICMP type and code when an
 * ICMP message caused it, and {@code SO_EE_OFFENDER}, the address of the node that sent it.
 *
 * @param errno the error number the ICMP message maps to (EHOSTUNREACH for time exceeded,
 *     ECONNREFUSED for port unreachable, ...)
 * @param origin {@code ee_origin}: {@link #ORIGIN_LOCAL}, {@link #ORIGIN_ICMP}, ...
 * @param type {@code ee_type}: the ICMP type for ICMP origins
 * @param code {@code ee_code}: the ICMP code for ICMP origins
 * @param info {@code ee_info}: the path MTU for "fragmentation needed"
 * @param data {@code ee_data}
 * @param offender the sender of the ICMP message; empty when the kernel gave none (local errors)
 */
public record ExtendedError(
        int errno, int origin, int type, int code, int info, int data, Optional<InetAddress> offender) {

    /** {@code sizeof(struct sock_extended_err)}. */
    public static final int SIZE = 16;

    public static final int ORIGIN_NONE = 0;
    public static final int ORIGIN_LOCAL = 1;
    public static final int ORIGIN_ICMP = 2;
    public static final int ORIGIN_ICMP6 = 3;

    /** ICMP destination unreachable (RFC 792). */
    public static final int ICMP_DEST_UNREACH = 3;
    /** ICMP time exceeded (RFC 792): a router's TTL ran out. */
    public static final int ICMP_TIME_EXCEEDED = 11;
    /** Destination unreachable, code 3: nothing listens on the port. */
    public static final int ICMP_PORT_UNREACH = 3;

    public boolean isIcmp() {
        return origin == ORIGIN_ICMP;
    }

    /** An ICMP time exceeded: the TTL ran out at the offender, which forwards toward the target. */
    public boolean isTimeExceeded() {
        return isIcmp() && type == ICMP_TIME_EXCEEDED;
    }

    /** An ICMP port unreachable: the datagram reached a host that owns the address it was sent to. */
    public boolean isPortUnreachable() {
        return isIcmp() && type == ICMP_DEST_UNREACH && code == ICMP_PORT_UNREACH;
    }

    /** "ICMP type 11 code 0 from 192.168.1.1", "local error 90": for notes and logs. */
    public String describe() {
        String from = offender.map(a -> " from " + a.getHostAddress()).orElse("");
        return switch (origin) {
            case ORIGIN_ICMP -> "ICMP type " + type + " code " + code + from;
            case ORIGIN_ICMP6 -> "ICMPv6 type " + type + " code " + code + from;
            case ORIGIN_LOCAL -> "local error " + errno + from;
            default -> "error origin " + origin + " errno " + errno + from;
        };
    }
}
