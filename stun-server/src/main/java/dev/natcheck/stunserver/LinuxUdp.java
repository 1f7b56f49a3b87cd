package dev.natcheck.stunserver;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Linux UDP sockets through the FFM API (java.lang.foreign): socket, bind, {@code recvmmsg} and
 * {@code sendmmsg}, so one system call moves a batch of datagrams instead of one. Constants and
 * struct layouts are those of the Linux generic ABI on 64-bit x86 and ARM (the two checked by
 * {@link #AVAILABLE}); every call takes a preallocated errno capture segment, so the hot calls
 * allocate nothing.
 */
final class LinuxUdp {

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int MSG_WAITFORONE = 0x10000;
    static final int EINTR = 4;
    static final int EAGAIN = 11;

    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVBUF = 8;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_V6ONLY = 26;
    private static final int SHUT_RDWR = 2;
    private static final int EADDRINUSE = 98;
    private static final int EADDRNOTAVAIL = 99;

    /** {@code struct sockaddr_storage}: room for either family. */
    static final int SOCKADDR_SIZE = 128;

    /** {@code struct iovec}. */
    static final StructLayout IOVEC = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("iov_base"), ValueLayout.JAVA_LONG.withName("iov_len"));

    /** {@code struct mmsghdr}: a {@code struct msghdr} and the length the kernel moved. */
    static final StructLayout MMSGHDR = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("msg_name"),
            ValueLayout.JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.ADDRESS.withName("msg_iov"),
            ValueLayout.JAVA_LONG.withName("msg_iovlen"),
            ValueLayout.ADDRESS.withName("msg_control"),
            ValueLayout.JAVA_LONG.withName("msg_controllen"),
            ValueLayout.JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.JAVA_INT.withName("msg_len"),
            MemoryLayout.paddingLayout(4));

    static final long MSG_NAME = MMSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("msg_name"));
    static final long MSG_NAMELEN = MMSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("msg_namelen"));
    static final long MSG_IOV = MMSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("msg_iov"));
    static final long MSG_IOVLEN = MMSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("msg_iovlen"));
    static final long MSG_FLAGS = MMSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("msg_flags"));
    static final long MSG_LEN = MMSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("msg_len"));
    static final long IOV_LEN = IOVEC.byteOffset(MemoryLayout.PathElement.groupElement("iov_len"));

    /** sockaddr ports and addresses are in network order; sa_family in the host's. */
    static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** Whether the batched path can run here: Linux on x86-64 or AArch64 with libc's calls found. */
    static final boolean AVAILABLE;
    /** Why not, when {@link #AVAILABLE} is false. */
    static final String UNAVAILABLE_REASON;

    private static final MethodHandle SOCKET;
    private static final MethodHandle SETSOCKOPT;
    private static final MethodHandle BIND;
    private static final MethodHandle GETSOCKNAME;
    private static final MethodHandle RECVMMSG;
    private static final MethodHandle SENDMMSG;
    private static final MethodHandle SENDTO;
    private static final MethodHandle SHUTDOWN;
    private static final MethodHandle CLOSE;
    private static final MethodHandle STRERROR;
    private static final MethodHandle MALLOC;
    private static final MethodHandle FREE;

    static {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        MethodHandle[] h = new MethodHandle[12];
        String reason = null;
        if (!os.startsWith("linux")) {
            reason = "not Linux (" + os + ")";
        } else if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            reason = "struct layouts not checked on " + arch;
        } else if (!LinuxUdp.class.getModule().isNativeAccessEnabled()) {
            // Linking anyway would print the JDK's restricted-method warning into the embedder's
            // stderr (natcheck --local): fall back quietly instead.
            reason = "native access not enabled (java --enable-native-access=ALL-UNNAMED)";
        } else {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                Linker.Option errno = Linker.Option.captureCallState("errno");
                ValueLayout i = ValueLayout.JAVA_INT;
                ValueLayout p = ValueLayout.ADDRESS;
                ValueLayout l = ValueLayout.JAVA_LONG;
                h[0] = bind(linker, libc, "socket", FunctionDescriptor.of(i, i, i, i), errno);
                h[1] = bind(linker, libc, "setsockopt", FunctionDescriptor.of(i, i, i, i, p, i), errno);
                h[2] = bind(linker, libc, "bind", FunctionDescriptor.of(i, i, p, i), errno);
                h[3] = bind(linker, libc, "getsockname", FunctionDescriptor.of(i, i, p, p), errno);
                h[4] = bind(linker, libc, "recvmmsg", FunctionDescriptor.of(i, i, p, i, i, p), errno);
                h[5] = bind(linker, libc, "sendmmsg", FunctionDescriptor.of(i, i, p, i, i), errno);
                h[6] = bind(linker, libc, "sendto", FunctionDescriptor.of(l, i, p, l, i, p, i), errno);
                h[7] = bind(linker, libc, "shutdown", FunctionDescriptor.of(i, i, i), errno);
                h[8] = bind(linker, libc, "close", FunctionDescriptor.of(i, i), errno);
                h[9] = linker.downcallHandle(libc.find("strerror").orElseThrow(), FunctionDescriptor.of(p, i));
                h[10] = linker.downcallHandle(libc.find("malloc").orElseThrow(), FunctionDescriptor.of(p, l));
                h[11] = linker.downcallHandle(libc.find("free").orElseThrow(), FunctionDescriptor.ofVoid(p));
            } catch (RuntimeException | LinkageError e) {
                // IllegalCallerException when native access is denied, NoSuchElementException, ...
                reason = e.toString();
            }
        }
        AVAILABLE = reason == null;
        UNAVAILABLE_REASON = reason;
        SOCKET = h[0];
        SETSOCKOPT = h[1];
        BIND = h[2];
        GETSOCKNAME = h[3];
        RECVMMSG = h[4];
        SENDMMSG = h[5];
        SENDTO = h[6];
        SHUTDOWN = h[7];
        CLOSE = h[8];
        STRERROR = h[9];
        MALLOC = h[10];
        FREE = h[11];
    }

    private LinuxUdp() {}

    private static MethodHandle bind(
            Linker linker, SymbolLookup libc, String name, FunctionDescriptor descriptor, Linker.Option option) {
        return linker.downcallHandle(libc.find(name).orElseThrow(), descriptor, option);
    }

    /**
     * {@code bytes} of native memory from malloc, freed when {@code arena} closes. Unlike
     * {@link Arena#allocate}, which zeroes (and so makes resident) every page, large blocks come
     * from fresh mappings whose pages become resident only when written: a 64 KiB receive slot
     * holding a 100-byte datagram costs one page.
     */
    static MemorySegment allocateUntouched(Arena arena, long bytes) {
        try {
            MemorySegment p = (MemorySegment) MALLOC.invokeExact(bytes);
            if (p.equals(MemorySegment.NULL)) {
                throw new OutOfMemoryError("malloc(" + bytes + ") failed");
            }
            return p.reinterpret(bytes, arena, LinuxUdp::free);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void free(MemorySegment p) {
        try {
            FREE.invokeExact(p);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A segment to pass as every call's errno capture; one per thread. */
    static MemorySegment errnoSegment(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    /** EBADF, EFAULT, EINVAL, ENOTSOCK: a programming or descriptor error, not a passing one. */
    static boolean isFatal(int errno) {
        return errno == 9 || errno == 14 || errno == 22 || errno == 88;
    }

    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /**
     * A UDP socket bound to {@code address:port} with the given socket buffers; IPv6 wildcard
     * sockets are dual-stack, as Java's own are. Returns the file descriptor.
     *
     * @throws BindException when the address is taken or not this host's
     */
    static int open(InetAddress address, int port, int bufferBytes) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = errnoSegment(arena);
            boolean v4 = address instanceof Inet4Address;
            int fd = (int) SOCKET.invokeExact(err, v4 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new IOException("socket: " + strerror(errno(err)));
            }
            try {
                MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
                value.set(ValueLayout.JAVA_INT, 0, bufferBytes);
                // Best effort, as DatagramChannel's SO_RCVBUF: the kernel caps it at rmem_max.
                int ignored = (int) SETSOCKOPT.invokeExact(err, fd, SOL_SOCKET, SO_RCVBUF, value, 4);
                ignored = (int) SETSOCKOPT.invokeExact(err, fd, SOL_SOCKET, SO_SNDBUF, value, 4);
                if (!v4) {
                    value.set(ValueLayout.JAVA_INT, 0, 0);
                    ignored = (int) SETSOCKOPT.invokeExact(err, fd, IPPROTO_IPV6, IPV6_V6ONLY, value, 4);
                }
                MemorySegment sockaddr = arena.allocate(SOCKADDR_SIZE);
                int length = writeSockaddr(sockaddr, address, port);
                if ((int) BIND.invokeExact(err, fd, sockaddr, length) != 0) {
                    int e = errno(err);
                    String message = strerror(e);
                    throw e == EADDRINUSE || e == EADDRNOTAVAIL
                            ? new BindException(message)
                            : new IOException("bind: " + message);
                }
                return fd;
            } catch (IOException | RuntimeException | Error e) {
                closeFd(fd);
                throw e;
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The address a socket is bound to (with the port the kernel picked for port 0). */
    static InetSocketAddress localAddress(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = errnoSegment(arena);
            MemorySegment sockaddr = arena.allocate(SOCKADDR_SIZE);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, SOCKADDR_SIZE);
            if ((int) GETSOCKNAME.invokeExact(err, fd, sockaddr, length) != 0) {
                throw new IOException("getsockname: " + strerror(errno(err)));
            }
            return readSockaddr(sockaddr);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Wakes a thread blocked in {@link #recvmmsg} on {@code fd}: it returns empty datagrams. */
    static void shutdown(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            // ENOTCONN on an unconnected UDP socket, yet the kernel marks it shut and wakes readers.
            int ignored = (int) SHUTDOWN.invokeExact(errnoSegment(arena), fd, SHUT_RDWR);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void closeFd(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(errnoSegment(arena), fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code recvmmsg(fd, msgs, count, flags, NULL)}: datagrams received, or -1 (see errno). */
    static int recvmmsg(MemorySegment err, int fd, MemorySegment msgs, int count, int flags) {
        try {
            return (int) RECVMMSG.invokeExact(err, fd, msgs, count, flags, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code sendmmsg(fd, msgs, count, flags)}: datagrams sent, or -1 (see errno). */
    static int sendmmsg(MemorySegment err, int fd, MemorySegment msgs, int count, int flags) {
        try {
            return (int) SENDMMSG.invokeExact(err, fd, msgs, count, flags);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code sendto(fd, buf, length, flags, to, toLength)}: bytes sent, or -1 (see errno). */
    static long sendto(
            MemorySegment err, int fd, MemorySegment buf, long length, int flags, MemorySegment to, int toLength) {
        try {
            return (long) SENDTO.invokeExact(err, fd, buf, length, flags, to, toLength);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** Writes a sockaddr_in or sockaddr_in6 for {@code address:port}; returns its length. */
    static int writeSockaddr(MemorySegment to, InetAddress address, int port) {
        to.fill((byte) 0);
        byte[] a = address.getAddress();
        if (a.length == 4) {
            to.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
            to.set(PORT, 2, (short) port);
            MemorySegment.copy(a, 0, to, ValueLayout.JAVA_BYTE, 4, 4);
            return 16;
        }
        to.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET6);
        to.set(PORT, 2, (short) port);
        MemorySegment.copy(a, 0, to, ValueLayout.JAVA_BYTE, 8, 16);
        if (address instanceof java.net.Inet6Address v6 && v6.getScopeId() != 0) {
            to.set(ValueLayout.JAVA_INT, 24, v6.getScopeId());
        }
        return 28;
    }

    static InetSocketAddress readSockaddr(MemorySegment from) throws UnknownHostException {
        int family = from.get(ValueLayout.JAVA_SHORT, 0);
        int port = Short.toUnsignedInt(from.get(PORT, 2));
        byte[] a = new byte[family == AF_INET ? 4 : 16];
        MemorySegment.copy(from, ValueLayout.JAVA_BYTE, family == AF_INET ? 4 : 8, a, 0, a.length);
        return new InetSocketAddress(InetAddress.getByAddress(a), port);
    }
}
