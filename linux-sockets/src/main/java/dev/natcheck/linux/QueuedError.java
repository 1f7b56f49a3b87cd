package dev.natcheck.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * One entry of a UDP socket's error queue, read with {@code recvmsg(..., MSG_ERRQUEUE)}: the
 * destination of the datagram that caused it (the kernel puts it in {@code msg_name}, taken from
 * the header quoted in the ICMP message), the error itself, and how many bytes of that datagram's
 * payload the ICMP message quoted back.
 *
 * @param destination where the datagram that caused the error was sent; empty when the kernel
 *     gave no IPv4 or IPv6 address
 * @param error the {@code IP_RECVERR} control message
 * @param quotedPayloadLength bytes of the datagram's own payload that came back (0 when the
 *     sender quoted only the UDP header, as RFC 792 allows)
 */
public record QueuedError(Optional<InetSocketAddress> destination, ExtendedError error, long quotedPayloadLength) {

    private static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    /**
     * Reads what {@code recvmsg(..., MSG_ERRQUEUE)} returned: {@code controlLength} bytes of
     * control messages ({@code msg_controllen} after the call), {@code msg_flags}, the
     * {@code nameLength} bytes of {@code msg_name} and the byte count the call returned. The
     * control messages are walked as {@code CMSG_NXTHDR} does; the one of level {@code SOL_IP}
     * and type {@code IP_RECVERR} is the error, others (timestamps, TTLs) are skipped.
     *
     * @throws MalformedControlMessageException when the control data was truncated, a
     *     {@code cmsg_len} is out of bounds, or no {@code IP_RECVERR} message is there
     */
    public static QueuedError parse(
            MemorySegment control,
            long controlLength,
            int flags,
            MemorySegment name,
            int nameLength,
            long payloadLength)
            throws MalformedControlMessageException {
        if ((flags & LinuxUdp.MSG_CTRUNC) != 0) {
            throw new MalformedControlMessageException(
                    "control data truncated (MSG_CTRUNC) at " + controlLength + " bytes");
        }
        if (controlLength < 0 || controlLength > control.byteSize()) {
            throw new MalformedControlMessageException(
                    "msg_controllen " + controlLength + " outside the " + control.byteSize() + "-byte control buffer");
        }
        long offset = 0;
        while (offset + Msghdr.CMSG_HEADER <= controlLength) {
            long length = control.get(SIZE_T, offset + Msghdr.CMSG_LEN);
            if (length < Msghdr.CMSG_HEADER) {
                throw new MalformedControlMessageException("cmsg_len " + length + " at offset " + offset
                        + " is shorter than the header (" + Msghdr.CMSG_HEADER + ")");
            }
            if (length > controlLength - offset) {
                throw new MalformedControlMessageException("cmsg_len " + length + " at offset " + offset
                        + " runs past the control data (" + controlLength + " bytes)");
            }
            int level = control.get(INT, offset + Msghdr.CMSG_LEVEL);
            int type = control.get(INT, offset + Msghdr.CMSG_TYPE);
            if (level == LinuxUdp.IPPROTO_IP && type == LinuxUdp.IP_RECVERR) {
                long data = offset + Msghdr.CMSG_HEADER;
                ExtendedError error = extendedError(control, data, length - Msghdr.CMSG_HEADER);
                return new QueuedError(destination(name, nameLength), error, payloadLength);
            }
            offset += Msghdr.cmsgAlign(length);
        }
        throw new MalformedControlMessageException(
                "no IP_RECVERR control message in " + controlLength + " bytes of control data");
    }

    private static ExtendedError extendedError(MemorySegment control, long at, long length)
            throws MalformedControlMessageException {
        if (length < ExtendedError.SIZE) {
            throw new MalformedControlMessageException("IP_RECVERR data at offset " + at + " is " + length
                    + " bytes, shorter than struct sock_extended_err (" + ExtendedError.SIZE + ")");
        }
        int errno = control.get(INT, at);
        int origin = Byte.toUnsignedInt(control.get(ValueLayout.JAVA_BYTE, at + 4));
        int type = Byte.toUnsignedInt(control.get(ValueLayout.JAVA_BYTE, at + 5));
        int code = Byte.toUnsignedInt(control.get(ValueLayout.JAVA_BYTE, at + 6));
        int info = control.get(INT, at + 8);
        int data = control.get(INT, at + 12);
        // SO_EE_OFFENDER: the sockaddr right after the struct, AF_UNSPEC when there is none.
        Optional<InetAddress> offender = address(
                        control, at + ExtendedError.SIZE, length - ExtendedError.SIZE, "SO_EE_OFFENDER")
                .map(InetSocketAddress::getAddress);
        return new ExtendedError(errno, origin, type, code, info, data, offender);
    }

    private static Optional<InetSocketAddress> destination(MemorySegment name, int nameLength)
            throws MalformedControlMessageException {
        if (nameLength < 0 || nameLength > name.byteSize()) {
            throw new MalformedControlMessageException(
                    "msg_namelen " + nameLength + " outside the " + name.byteSize() + "-byte name buffer");
        }
        return address(name, 0, nameLength, "msg_name");
    }

    /** The sockaddr_in / sockaddr_in6 of {@code length} bytes at {@code at}, if it is one. */
    private static Optional<InetSocketAddress> address(MemorySegment from, long at, long length, String what)
            throws MalformedControlMessageException {
        if (length < 2) {
            return Optional.empty();
        }
        int family = Sockaddr.family(from, at);
        int need = switch (family) {
            case LinuxUdp.AF_INET -> 8;
            case LinuxUdp.AF_INET6 -> 24;
            default -> -1;
        };
        if (need < 0) {
            return Optional.empty();
        }
        if (length < need) {
            throw new MalformedControlMessageException(what + " at offset " + at + " has family " + family
                    + " but only " + length + " bytes (need " + need + ")");
        }
        try {
            return Optional.of(Sockaddr.read(from.asSlice(at, length)));
        } catch (UnknownHostException e) {
            throw new MalformedControlMessageException(what + " at offset " + at + ": " + e.getMessage());
        }
    }
}
