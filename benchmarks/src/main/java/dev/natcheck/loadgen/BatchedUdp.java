package dev.natcheck.loadgen;

import dev.natcheck.linux.LinuxUdp;
import dev.natcheck.linux.Msghdr;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;

/**
 * A connected Linux UDP socket driven with {@code sendmmsg}/{@code recvmmsg} (module
 * linux-sockets, through FFM), so the load generator sends a whole window and reads every queued
 * answer in one system call each: its own per-datagram system call cost then no longer caps the
 * rate it can measure.
 */
final class BatchedUdp implements AutoCloseable {

    private static final long MSG = Msghdr.MMSGHDR.byteSize();
    private static final long IOV = Msghdr.IOVEC.byteSize();
    private static final int SLOT = 2048;

    /** Links the native calls now (a few hundred ms), or says why they cannot run here. */
    static void link() {
        LinuxUdp.linkAll();
    }

    private final Arena arena = Arena.ofConfined();
    private final int fd;
    private final MemorySegment errno;
    private final MemorySegment txMsgs;
    private final MemorySegment txIov;
    /** Outgoing datagrams, one {@link #SLOT} each. */
    final MemorySegment tx;

    private final MemorySegment rxMsgs;
    /** Incoming datagrams, one {@link #SLOT} each. */
    final MemorySegment rx;

    private final int count;

    /**
     * A socket bound to {@code source:0} and connected to {@code target:port}, with room for
     * {@code count} datagrams each way; {@code receiveTimeoutMicros} bounds each receive.
     */
    BatchedUdp(InetAddress source, InetAddress target, int port, int count, int receiveTimeoutMicros)
            throws IOException {
        this.count = count;
        try {
            fd = LinuxUdp.socket(target, 0);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
        try {
            LinuxUdp.setIntOption(fd, LinuxUdp.SOL_SOCKET, LinuxUdp.SO_RCVBUF, 1 << 20);
            LinuxUdp.setReceiveTimeout(fd, receiveTimeoutMicros);
            LinuxUdp.bind(fd, source, 0);
            LinuxUdp.connect(fd, target, port);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        errno = LinuxUdp.errnoSegment(arena);
        txMsgs = arena.allocate(MSG * count, 8);
        txIov = arena.allocate(IOV * count, 8);
        tx = arena.allocate((long) SLOT * count, 8);
        rxMsgs = arena.allocate(MSG * count, 8);
        MemorySegment rxIov = arena.allocate(IOV * count, 8);
        rx = arena.allocate((long) SLOT * count, 8);
        for (int k = 0; k < count; k++) {
            // Connected: msg_name stays NULL.
            txMsgs.set(ValueLayout.ADDRESS, MSG * k + Msghdr.IOV, txIov.asSlice(IOV * k, IOV));
            txMsgs.set(ValueLayout.JAVA_LONG, MSG * k + Msghdr.IOVLEN, 1);
            txIov.set(ValueLayout.ADDRESS, IOV * k + Msghdr.IOV_BASE, tx.asSlice((long) SLOT * k, SLOT));
            rxMsgs.set(ValueLayout.ADDRESS, MSG * k + Msghdr.IOV, rxIov.asSlice(IOV * k, IOV));
            rxMsgs.set(ValueLayout.JAVA_LONG, MSG * k + Msghdr.IOVLEN, 1);
            rxIov.set(ValueLayout.ADDRESS, IOV * k + Msghdr.IOV_BASE, rx.asSlice((long) SLOT * k, SLOT));
            rxIov.set(ValueLayout.JAVA_LONG, IOV * k + Msghdr.IOV_LEN, SLOT);
        }
    }

    static long slot(int k) {
        return (long) SLOT * k;
    }

    /** Sends datagrams 0 .. n of {@link #tx}, each {@code length} bytes; returns how many went. */
    int send(int n, int length) {
        for (int k = 0; k < n; k++) {
            txIov.set(ValueLayout.JAVA_LONG, IOV * k + Msghdr.IOV_LEN, length);
        }
        int sent = 0;
        while (sent < n) {
            int r = LinuxUdp.sendmmsg(errno, fd, txMsgs.asSlice(MSG * sent), n - sent, LinuxUdp.MSG_NOSIGNAL);
            if (r <= 0) {
                break; // e.g. ECONNREFUSED from an earlier ICMP: the window's silence counts it lost
            }
            sent += r;
        }
        return sent;
    }

    /**
     * Waits (at most the receive timeout) for one datagram and takes every other one queued, up to
     * the batch size; returns how many, 0 on timeout or error.
     */
    int receive() {
        return Math.max(LinuxUdp.recvmmsg(errno, fd, rxMsgs, count, LinuxUdp.MSG_WAITFORONE), 0);
    }

    /** Length of received datagram {@code k}. */
    int length(int k) {
        return rxMsgs.get(ValueLayout.JAVA_INT, MSG * k + Msghdr.LEN);
    }

    @Override
    public void close() {
        try {
            LinuxUdp.closeFd(fd);
        } finally {
            arena.close();
        }
    }
}
