package dev.natcheck.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A non-blocking IPv4 UDP socket with {@code IP_RECVERR} on: every ICMP error its datagrams cause
 * (time exceeded, port unreachable, ...) is queued on the socket's error queue with the address
 * of the node that sent it, and read back with {@code recvmsg(..., MSG_ERRQUEUE)}. This is how
 * Debian's {@code tracepath} sees the path without a raw socket, so without root. Each datagram
 * can leave with its own TTL ({@code IP_TTL} set before the send).
 *
 * <p>Native memory is allocated once when the socket opens; one thread uses a socket at a time.
 */
public final class ErrorQueueSocket implements AutoCloseable {

    private static final int PAYLOAD_MAX = 512;
    private static final int QUOTE_MAX = 2048;
    private static final int CONTROL_MAX = 512;
    /** A send that fails with an ICMP error an earlier datagram caused is tried again this often. */
    private static final int SEND_ATTEMPTS = 4;

    private final Arena arena = Arena.ofConfined();
    private final int fd;
    private final InetSocketAddress local;
    private final MemorySegment errno;
    private final MemorySegment ttl;
    private final MemorySegment to;
    private final MemorySegment payload;
    private final MemorySegment msg;
    private final MemorySegment iov;
    private final MemorySegment name;
    private final MemorySegment quote;
    private final MemorySegment control;
    private final MemorySegment pollfd;
    private boolean closed;

    private ErrorQueueSocket(int fd, InetSocketAddress local) {
        this.fd = fd;
        this.local = local;
        errno = LinuxUdp.errnoSegment(arena);
        ttl = arena.allocate(ValueLayout.JAVA_INT);
        to = arena.allocate(Sockaddr.SIZE, 8);
        payload = arena.allocate(PAYLOAD_MAX, 8);
        msg = arena.allocate(Msghdr.MSGHDR);
        iov = arena.allocate(Msghdr.IOVEC);
        name = arena.allocate(Sockaddr.SIZE, 8);
        quote = arena.allocate(QUOTE_MAX, 8);
        control = arena.allocate(CONTROL_MAX, 8);
        pollfd = arena.allocate(8, 4);
        iov.set(ValueLayout.ADDRESS, Msghdr.IOV_BASE, quote);
    }

    /**
     * Links the native calls these sockets make, which otherwise happens in the first
     * {@link #open} (once per JVM; tens of milliseconds on an idle machine, more on a busy one):
     * to do it ahead of time, alongside other start-up work.
     *
     * @throws IllegalStateException when the Linux calls are unavailable here ({@link LinuxUdp#AVAILABLE})
     */
    public static void link() {
        LinuxUdp.linkSingleDatagramCalls();
    }

    /**
     * Links the native calls and runs each once, so that the first real use pays neither for
     * linking nor for the JDK generating the call paths on first invocation (together hundreds of
     * milliseconds on a loaded machine): a socket on 127.0.0.1 sends one datagram to itself, polls,
     * reads it back and reads its empty error queue. Nothing leaves the host.
     *
     * @throws IllegalStateException when the Linux calls are unavailable here ({@link LinuxUdp#AVAILABLE})
     * @throws IOException when the loopback socket cannot be made
     */
    public static void warmUp() throws IOException {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        try (ErrorQueueSocket socket = open(loopback)) {
            socket.send(socket.localAddress(), 1, new byte[] {0});
            socket.await(TimeUnit.MILLISECONDS.toNanos(100));
            socket.nextReply();
            socket.nextError();
        }
    }

    /**
     * A socket bound to {@code local}, port chosen by the kernel, with {@code IP_RECVERR} on.
     *
     * @throws IllegalArgumentException when {@code local} is not IPv4
     * @throws IllegalStateException when the Linux calls are unavailable here ({@link LinuxUdp#AVAILABLE})
     * @throws IOException when the kernel refuses the socket, the option or the address
     */
    public static ErrorQueueSocket open(InetAddress local) throws IOException {
        if (!(local instanceof Inet4Address)) {
            throw new IllegalArgumentException("error-queue sockets are IPv4 only, got " + local);
        }
        // All of it now: linking inside the first send would eat into the caller's timing.
        link();
        int fd = LinuxUdp.socket(local, LinuxUdp.SOCK_NONBLOCK);
        try {
            LinuxUdp.setIntOption(fd, LinuxUdp.IPPROTO_IP, LinuxUdp.IP_RECVERR, 1);
            LinuxUdp.bind(fd, local, 0);
            return new ErrorQueueSocket(fd, LinuxUdp.localAddress(fd));
        } catch (IOException | RuntimeException | Error e) {
            LinuxUdp.closeFd(fd);
            throw e;
        }
    }

    /** The address and port this socket sends from. */
    public InetSocketAddress localAddress() {
        return local;
    }

    /**
     * Sends {@code data} (at most 512 bytes) to {@code destination} with IP TTL {@code hops}. A
     * send that fails with the error an earlier datagram's ICMP message left pending on the
     * socket (the kernel reports it on the next call, and clears it) is tried again.
     *
     * @throws IOException when the datagram cannot leave (no route, ...)
     */
    public void send(InetSocketAddress destination, int hops, byte[] data) throws IOException {
        if (hops < 1 || hops > 255) {
            throw new IllegalArgumentException("TTL must be 1..255, got " + hops);
        }
        if (data.length > PAYLOAD_MAX) {
            throw new IllegalArgumentException("payload of " + data.length + " bytes, at most " + PAYLOAD_MAX);
        }
        ttl.set(ValueLayout.JAVA_INT, 0, hops);
        if (LinuxUdp.setsockopt(errno, fd, LinuxUdp.IPPROTO_IP, LinuxUdp.IP_TTL, ttl, 4) != 0) {
            throw new IOException("setsockopt(IP_TTL, " + hops + "): " + LinuxUdp.strerror(LinuxUdp.errno(errno)));
        }
        MemorySegment.copy(data, 0, payload, ValueLayout.JAVA_BYTE, 0, data.length);
        int toLength = Sockaddr.write(to, destination.getAddress(), destination.getPort());
        int lastErrno = 0;
        for (int attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
            long sent = LinuxUdp.sendto(
                    errno, fd, payload, data.length, LinuxUdp.MSG_DONTWAIT | LinuxUdp.MSG_NOSIGNAL, to, toLength);
            if (sent >= 0) {
                return;
            }
            lastErrno = LinuxUdp.errno(errno);
            if (LinuxUdp.isFatal(lastErrno)) {
                break;
            }
        }
        throw new IOException("sendto " + destination.getAddress().getHostAddress() + ":" + destination.getPort()
                + " (TTL " + hops + "): " + LinuxUdp.strerror(lastErrno));
    }

    /**
     * Waits at most {@code timeoutNanos} (0: not at all) until an error is queued or a datagram
     * has arrived; false when neither happened in time (or a signal cut the wait short).
     */
    public boolean await(long timeoutNanos) throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, (Math.max(0, timeoutNanos) + 999_999) / 1_000_000);
        pollfd.set(ValueLayout.JAVA_INT, 0, fd);
        pollfd.set(ValueLayout.JAVA_SHORT, 4, LinuxUdp.POLLIN);
        pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        int ready = LinuxUdp.poll(errno, pollfd, 1, millis);
        if (ready < 0) {
            int e = LinuxUdp.errno(errno);
            if (e == LinuxUdp.EINTR) {
                return false;
            }
            throw new IOException("poll: " + LinuxUdp.strerror(e));
        }
        return ready > 0;
    }

    /** The oldest queued error, removed from the queue; empty when the queue is empty. */
    public Optional<QueuedError> nextError() throws IOException {
        prepareReceive(CONTROL_MAX);
        long n = LinuxUdp.recvmsg(errno, fd, msg, LinuxUdp.MSG_ERRQUEUE | LinuxUdp.MSG_DONTWAIT);
        if (n < 0) {
            int e = LinuxUdp.errno(errno);
            if (e == LinuxUdp.EAGAIN || e == LinuxUdp.EINTR) {
                return Optional.empty();
            }
            throw new IOException("recvmsg(MSG_ERRQUEUE): " + LinuxUdp.strerror(e));
        }
        return Optional.of(QueuedError.parse(
                control,
                msg.get(ValueLayout.JAVA_LONG, Msghdr.CONTROLLEN),
                msg.get(ValueLayout.JAVA_INT, Msghdr.FLAGS),
                name,
                msg.get(ValueLayout.JAVA_INT, Msghdr.NAMELEN),
                n));
    }

    /**
     * The source of the next datagram that came back (its content is dropped); empty when none
     * is waiting. Reading also clears an ICMP error the kernel left pending on the socket.
     */
    public Optional<InetSocketAddress> nextReply() throws IOException {
        // Each pending error is reported once, then cleared: a few reads reach the queue itself.
        for (int attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
            prepareReceive(0);
            long n = LinuxUdp.recvmsg(errno, fd, msg, LinuxUdp.MSG_DONTWAIT);
            if (n >= 0) {
                return Optional.of(Sockaddr.read(name));
            }
            int e = LinuxUdp.errno(errno);
            if (e == LinuxUdp.EAGAIN) {
                return Optional.empty();
            }
            if (LinuxUdp.isFatal(e)) {
                throw new IOException("recvmsg: " + LinuxUdp.strerror(e));
            }
        }
        return Optional.empty();
    }

    private void prepareReceive(int controlLength) {
        msg.set(ValueLayout.ADDRESS, Msghdr.NAME, name);
        msg.set(ValueLayout.JAVA_INT, Msghdr.NAMELEN, Sockaddr.SIZE);
        msg.set(ValueLayout.ADDRESS, Msghdr.IOV, iov);
        msg.set(ValueLayout.JAVA_LONG, Msghdr.IOVLEN, 1);
        iov.set(ValueLayout.JAVA_LONG, Msghdr.IOV_LEN, QUOTE_MAX);
        msg.set(ValueLayout.ADDRESS, Msghdr.CONTROL, controlLength == 0 ? MemorySegment.NULL : control);
        msg.set(ValueLayout.JAVA_LONG, Msghdr.CONTROLLEN, controlLength);
        msg.set(ValueLayout.JAVA_INT, Msghdr.FLAGS, 0);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LinuxUdp.closeFd(fd);
            arena.close();
        }
    }
}
