package dev.natcheck.loadgen;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteOrder;

/**
 * A connected Linux UDP socket driven through the FFM API with {@code sendmmsg}/{@code recvmmsg},
 * so the load generator sends a whole window and reads every queued answer in one system call
 * each: its own per-datagram system call cost then no longer caps the rate it can measure.
 * Linux x86-64/AArch64 layouts ({@code struct mmsghdr} 64 bytes, {@code iovec} 16).
 */
final class BatchedUdp implements AutoCloseable {

    private static final int MSG = 64;
    private static final int IOV = 16;
    private static final int MSG_WAITFORONE = 0x10000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SLOT = 2048;

    private static final MethodHandle SOCKET;
    private static final MethodHandle SETSOCKOPT;
    private static final MethodHandle BIND;
    private static final MethodHandle CONNECT;
    private static final MethodHandle SENDMMSG;
    private static final MethodHandle RECVMMSG;
    private static final MethodHandle CLOSE;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        ValueLayout i = ValueLayout.JAVA_INT;
        ValueLayout p = ValueLayout.ADDRESS;
        SOCKET = handle(linker, libc, "socket", FunctionDescriptor.of(i, i, i, i));
        SETSOCKOPT = handle(linker, libc, "setsockopt", FunctionDescriptor.of(i, i, i, i, p, i));
        BIND = handle(linker, libc, "bind", FunctionDescriptor.of(i, i, p, i));
        CONNECT = handle(linker, libc, "connect", FunctionDescriptor.of(i, i, p, i));
        SENDMMSG = handle(linker, libc, "sendmmsg", FunctionDescriptor.of(i, i, p, i, i));
        RECVMMSG = handle(linker, libc, "recvmmsg", FunctionDescriptor.of(i, i, p, i, i, p));
        CLOSE = handle(linker, libc, "close", FunctionDescriptor.of(i, i));
    }

    /** Loads the class, linking the native calls. */
    static void link() {}

    private static MethodHandle handle(Linker linker, SymbolLookup libc, String name, FunctionDescriptor descriptor) {
        return linker.downcallHandle(libc.find(name).orElseThrow(), descriptor);
    }

    private final Arena arena = Arena.ofConfined();
    private final int fd;
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
            boolean v4 = target instanceof Inet4Address;
            fd = (int) SOCKET.invokeExact(v4 ? 2 : 10, 2 /* SOCK_DGRAM */, 0);
            if (fd < 0) {
                throw new IOException("socket failed");
            }
            MemorySegment value = arena.allocate(16, 8);
            value.set(ValueLayout.JAVA_INT, 0, 1 << 20);
            int ignored = (int) SETSOCKOPT.invokeExact(fd, 1 /* SOL_SOCKET */, 8 /* SO_RCVBUF */, value, 4);
            value.set(ValueLayout.JAVA_LONG, 0, 0L);
            value.set(ValueLayout.JAVA_LONG, 8, receiveTimeoutMicros);
            if ((int) SETSOCKOPT.invokeExact(fd, 1, 20 /* SO_RCVTIMEO */, value, 16) != 0) {
                throw new IOException("SO_RCVTIMEO failed");
            }
            MemorySegment address = arena.allocate(128, 8);
            int length = sockaddr(address, source, 0);
            if ((int) BIND.invokeExact(fd, address, length) != 0) {
                throw new IOException("bind " + source + " failed");
            }
            length = sockaddr(address, target, port);
            if ((int) CONNECT.invokeExact(fd, address, length) != 0) {
                throw new IOException("connect " + target + ":" + port + " failed");
            }
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException(t);
        }
        txMsgs = arena.allocate((long) MSG * count, 8);
        txIov = arena.allocate((long) IOV * count, 8);
        tx = arena.allocate((long) SLOT * count, 8);
        rxMsgs = arena.allocate((long) MSG * count, 8);
        MemorySegment rxIov = arena.allocate((long) IOV * count, 8);
        rx = arena.allocate((long) SLOT * count, 8);
        for (int k = 0; k < count; k++) {
            // Connected: msg_name stays NULL.
            txMsgs.set(ValueLayout.ADDRESS, (long) MSG * k + 16, txIov.asSlice((long) IOV * k, IOV));
            txMsgs.set(ValueLayout.JAVA_LONG, (long) MSG * k + 24, 1);
            txIov.set(ValueLayout.ADDRESS, (long) IOV * k, tx.asSlice((long) SLOT * k, SLOT));
            rxMsgs.set(ValueLayout.ADDRESS, (long) MSG * k + 16, rxIov.asSlice((long) IOV * k, IOV));
            rxMsgs.set(ValueLayout.JAVA_LONG, (long) MSG * k + 24, 1);
            rxIov.set(ValueLayout.ADDRESS, (long) IOV * k, rx.asSlice((long) SLOT * k, SLOT));
            rxIov.set(ValueLayout.JAVA_LONG, (long) IOV * k + 8, SLOT);
        }
    }

    static long slot(int k) {
        return (long) SLOT * k;
    }

    /** Sends datagrams 0 .. n of {@link #tx}, each {@code length} bytes; returns how many went. */
    int send(int n, int length) {
        for (int k = 0; k < n; k++) {
            txIov.set(ValueLayout.JAVA_LONG, (long) IOV * k + 8, length);
        }
        int sent = 0;
        try {
            while (sent < n) {
                int r = (int) SENDMMSG.invokeExact(fd, txMsgs.asSlice((long) MSG * sent), n - sent, MSG_NOSIGNAL);
                if (r <= 0) {
                    break; // e.g. ECONNREFUSED from an earlier ICMP: the window's silence counts it lost
                }
                sent += r;
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return sent;
    }

    /**
     * Waits (at most the receive timeout) for one datagram and takes every other one queued, up to
     * the batch size; returns how many, 0 on timeout or error.
     */
    int receive() {
        try {
            int r = (int) RECVMMSG.invokeExact(fd, rxMsgs, count, MSG_WAITFORONE, MemorySegment.NULL);
            return Math.max(r, 0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Length of received datagram {@code k}. */
    int length(int k) {
        return rxMsgs.get(ValueLayout.JAVA_INT, (long) MSG * k + 56);
    }

    private static int sockaddr(MemorySegment to, InetAddress address, int port) {
        to.fill((byte) 0);
        byte[] a = address.getAddress();
        to.set(ValueLayout.JAVA_SHORT, 0, (short) (a.length == 4 ? 2 : 10));
        to.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) port);
        MemorySegment.copy(a, 0, to, ValueLayout.JAVA_BYTE, a.length == 4 ? 4 : 8, a.length);
        return a.length == 4 ? 16 : 28;
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            arena.close();
        }
    }
}
