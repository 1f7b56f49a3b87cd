package dev.natcheck.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * {@code struct sockaddr_in} and {@code sockaddr_in6} in native memory: {@code sa_family} in the
 * host's byte order, port and address in network order.
 */
public final class Sockaddr {

    /** {@code struct sockaddr_storage}: room for either family. */
    public static final int SIZE = 128;
    /** {@code sizeof(struct sockaddr_in)}. */
    public static final int IN_SIZE = 16;
    /** {@code sizeof(struct sockaddr_in6)}. */
    public static final int IN6_SIZE = 28;

    /** A port (or an IPv4 address) in network order, at any offset. */
    public static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final ValueLayout.OfShort FAMILY = ValueLayout.JAVA_SHORT_UNALIGNED;

    private Sockaddr() {}

    /** Writes a sockaddr_in or sockaddr_in6 for {@code address:port}; returns its length. */
    public static int write(MemorySegment to, InetAddress address, int port) {
        to.asSlice(0, IN6_SIZE).fill((byte) 0);
        byte[] a = address.getAddress();
        if (a.length == 4) {
            to.set(FAMILY, 0, (short) LinuxUdp.AF_INET);
            to.set(PORT, 2, (short) port);
            MemorySegment.copy(a, 0, to, ValueLayout.JAVA_BYTE, 4, 4);
            return IN_SIZE;
        }
        to.set(FAMILY, 0, (short) LinuxUdp.AF_INET6);
        to.set(PORT, 2, (short) port);
        MemorySegment.copy(a, 0, to, ValueLayout.JAVA_BYTE, 8, 16);
        if (address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
            to.set(ValueLayout.JAVA_INT_UNALIGNED, 24, v6.getScopeId());
        }
        return IN6_SIZE;
    }

    /** The {@code sa_family} at {@code offset}: {@link LinuxUdp#AF_INET}, {@link LinuxUdp#AF_INET6}, ... */
    public static int family(MemorySegment from, long offset) {
        return from.get(FAMILY, offset);
    }

    /** Reads a sockaddr_in or sockaddr_in6 (an IPv4-mapped IPv6 address comes back as IPv4). */
    public static InetSocketAddress read(MemorySegment from) throws UnknownHostException {
        int family = family(from, 0);
        int port = Short.toUnsignedInt(from.get(PORT, 2));
        byte[] a = new byte[family == LinuxUdp.AF_INET ? 4 : 16];
        MemorySegment.copy(from, ValueLayout.JAVA_BYTE, family == LinuxUdp.AF_INET ? 4 : 8, a, 0, a.length);
        return new InetSocketAddress(InetAddress.getByAddress(a), port);
    }
}
