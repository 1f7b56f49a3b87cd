package dev.natcheck.stunserver;

import dev.natcheck.address.AddressText;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;

/**
 * One bound UDP socket and its place in an RFC 5780 quartet: {@code ipIndex} 0 is the primary
 * address and 1 the alternate; {@code portIndex} 0 the primary port and 1 the alternate. A server
 * without an alternate has quartets of one. The local address is kept as bytes so answers can
 * write RESPONSE-ORIGIN and OTHER-ADDRESS without allocating. The socket is either a NIO
 * channel or, on the batched Linux path, a native file descriptor ({@link SocketIo}).
 */
final class Endpoint {

    /** The NIO socket, or null on the batched path. */
    final DatagramChannel channel;
    /** The native file descriptor on the batched path, or -1. */
    final int fd;

    final InetSocketAddress local;
    final int ipIndex;
    final int portIndex;
    /** Local address bytes (4 or 16); empty for a wildcard socket, whose address is unknown. */
    final byte[] address;

    final int port;
    /** The four sockets of this one's quartet, [ipIndex][portIndex]; null without an alternate. */
    Endpoint[][] quartet;

    Endpoint(DatagramChannel channel, int fd, InetSocketAddress local, int ipIndex, int portIndex) {
        this.channel = channel;
        this.fd = fd;
        this.local = local;
        this.ipIndex = ipIndex;
        this.portIndex = portIndex;
        InetAddress a = local.getAddress();
        this.address = a.isAnyLocalAddress() ? new byte[0] : a.getAddress();
        this.port = local.getPort();
    }

    boolean rfc5780() {
        return quartet != null;
    }

    boolean knowsAddress() {
        return address.length != 0;
    }

    /** The socket that answers a request received here, per the CHANGE-REQUEST flags (RFC 5780 §6.1). */
    Endpoint answering(boolean changeIp, boolean changePort) {
        if (quartet == null) {
            return this;
        }
        return quartet[ipIndex ^ (changeIp ? 1 : 0)][portIndex ^ (changePort ? 1 : 0)];
    }

    /** The socket OTHER-ADDRESS names: the other address and the other port. */
    Endpoint other() {
        return answering(true, true);
    }

    boolean isIpv4() {
        return local.getAddress() instanceof Inet4Address;
    }

    @Override
    public String toString() {
        return AddressText.format(local.getAddress(), port);
    }
}
