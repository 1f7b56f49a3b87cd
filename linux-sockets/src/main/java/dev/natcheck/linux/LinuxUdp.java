package dev.natcheck.linux;

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
import java.util.Locale;
import java.util.Objects;

/**
 * Linux UDP socket calls through the FFM API (java.lang.foreign): socket, setsockopt, bind,
 * connect, {@code recvmmsg}/{@code sendmmsg} (one system call moves a batch of datagrams),
 * {@code sendto}, {@code recvmsg} (the error queue) and {@code poll}. Constants and struct
 * layouts are those of the Linux generic ABI on 64-bit x86 and ARM (the two checked by
 * {@link #AVAILABLE}). Each call takes a preallocated errno capture segment ({@link #errnoSegment});
 * the calls a hot loop makes also come in a form that keeps no errno and allocates nothing (see
 * {@link #recvmmsg(int, MemorySegment, int, int)}).
 */
public final class LinuxUdp {

    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    public static final int SOL_SOCKET = 1;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_RCVTIMEO = 20;
    /** {@code SOL_IP}: the level of the IPv4 options and control messages. */
    public static final int IPPROTO_IP = 0;
    /** The TTL of outgoing unicast datagrams, {@code ip(7)}. */
    public static final int IP_TTL = 2;
    /** Queue ICMP errors (and local ones) on the socket's error queue, {@code ip(7)}. */
    public static final int IP_RECVERR = 11;

    public static final int IPPROTO_IPV6 = 41;
    public static final int IPV6_V6ONLY = 26;

    public static final int MSG_CTRUNC = 0x8;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_ERRQUEUE = 0x2000;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_WAITFORONE = 0x10000;

    public static final short POLLIN = 0x1;
    public static final short POLLERR = 0x8;

    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int ENETUNREACH = 101;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    private static final int EADDRINUSE = 98;
    private static final int EADDRNOTAVAIL = 99;
    private static final int SHUT_RDWR = 2;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** Whether these calls can run here: Linux on x86-64 or AArch64, native access on, libc's calls found. */
    public static final boolean AVAILABLE;
    /** Why not, when {@link #AVAILABLE} is false. */
    public static final String UNAVAILABLE_REASON;

    private static final String[] CALLS = {
        "socket",
        "setsockopt",
        "bind",
        "connect",
        "getsockname",
        "recvmmsg",
        "sendmmsg",
        "sendto",
        "recvmsg",
        "poll",
        "shutdown",
        "close",
        "strerror",
        "malloc",
        "free"
    };

    static {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
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
                SymbolLookup libc = Linker.nativeLinker().defaultLookup();
                for (String call : CALLS) {
                    if (libc.find(call).isEmpty()) {
                        reason = "libc has no " + call;
                        break;
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                // IllegalCallerException when native access is denied, ...
                reason = e.toString();
            }
        }
        AVAILABLE = reason == null;
        UNAVAILABLE_REASON = reason;
    }

    private static final ValueLayout I = ValueLayout.JAVA_INT;
    private static final ValueLayout P = ValueLayout.ADDRESS;
    private static final ValueLayout L = ValueLayout.JAVA_LONG;

    /*
     * The downcall handles, linked in groups on first use (class initialisation is lazy and
     * thread-safe): linking costs milliseconds per distinct signature, and the error-queue
     * socket needs neither the batch calls nor malloc.
     */

    /** What every socket needs. */
    private static final class Core {
        static final MethodHandle SOCKET = link("socket", FunctionDescriptor.of(I, I, I, I));
        static final MethodHandle SETSOCKOPT = link("setsockopt", FunctionDescriptor.of(I, I, I, I, P, I));
        static final MethodHandle BIND = link("bind", FunctionDescriptor.of(I, I, P, I));
        static final MethodHandle GETSOCKNAME = link("getsockname", FunctionDescriptor.of(I, I, P, P));
        static final MethodHandle CLOSE = link("close", FunctionDescriptor.of(I, I));
        static final MethodHandle STRERROR = linkPlain("strerror", FunctionDescriptor.of(P, I));
    }

    /**
     * The batched path: recvmmsg/sendmmsg, and the forms of those and of sendto that keep no errno,
     * their untouched buffers, waking a blocked loop; connect.
     */
    private static final class Batch {
        static final MethodHandle CONNECT = link("connect", FunctionDescriptor.of(I, I, P, I));
        static final MethodHandle RECVMMSG = link("recvmmsg", FunctionDescriptor.of(I, I, P, I, I, P));
        static final MethodHandle SENDMMSG = link("sendmmsg", FunctionDescriptor.of(I, I, P, I, I));
        static final MethodHandle RECVMMSG_NO_ERRNO = linkPlain("recvmmsg", FunctionDescriptor.of(I, I, P, I, I, P));
        static final MethodHandle SENDMMSG_NO_ERRNO = linkPlain("sendmmsg", FunctionDescriptor.of(I, I, P, I, I));
        static final MethodHandle SENDTO_NO_ERRNO = linkPlain("sendto", FunctionDescriptor.of(L, I, P, L, I, P, I));
        static final MethodHandle SHUTDOWN = link("shutdown", FunctionDescriptor.of(I, I, I));
        static final MethodHandle MALLOC = linkPlain("malloc", FunctionDescriptor.of(P, L));
        static final MethodHandle FREE = linkPlain("free", FunctionDescriptor.ofVoid(P));
    }

    /** One datagram at a time: sendto, recvmsg (the error queue), poll. */
    private static final class Single {
        static final MethodHandle SENDTO = link("sendto", FunctionDescriptor.of(L, I, P, L, I, P, I));
        static final MethodHandle RECVMSG = link("recvmsg", FunctionDescriptor.of(L, I, P, I));
        static final MethodHandle POLL = link("poll", FunctionDescriptor.of(I, P, L, I));
    }

    private LinuxUdp() {}

    /**
     * Links every call now rather than at first use (milliseconds per call, hundreds on a loaded
     * machine): for a server or a benchmark that wants no first-use delay in its loops.
     */
    public static void linkAll() {
        linkSingleDatagramCalls();
        Objects.requireNonNull(Batch.RECVMMSG);
    }

    /** Links the calls one socket at a time needs (socket, options, sendto, recvmsg, poll) now, not at first use. */
    static void linkSingleDatagramCalls() {
        requireAvailable();
        // Reading a field of each holder initialises it, which links its calls.
        Objects.requireNonNull(Core.SOCKET);
        Objects.requireNonNull(Single.SENDTO);
    }

    /** A handle that stores errno in the capture segment each call takes first. */
    private static MethodHandle link(String name, FunctionDescriptor descriptor) {
        requireAvailable();
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(
                linker.defaultLookup().find(name).orElseThrow(), descriptor, Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle linkPlain(String name, FunctionDescriptor descriptor) {
        requireAvailable();
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    /** Throws when {@link #AVAILABLE} is false, saying why; every entry point below needs it. */
    public static void requireAvailable() {
        if (!AVAILABLE) {
            throw new IllegalStateException("Linux socket calls unavailable: " + UNAVAILABLE_REASON);
        }
    }

    /**
     * {@code bytes} of native memory from malloc, freed when {@code arena} closes. Unlike
     * {@link Arena#allocate}, which zeroes (and so makes resident) every page, large blocks come
     * from fresh mappings whose pages become resident only when written: a 64 KiB receive slot
     * holding a 100-byte datagram costs one page.
     */
    public static MemorySegment allocateUntouched(Arena arena, long bytes) {
        try {
            MemorySegment p = (MemorySegment) Batch.MALLOC.invokeExact(bytes);
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
            Batch.FREE.invokeExact(p);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A segment to pass as every call's errno capture; one per thread. */
    public static MemorySegment errnoSegment(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    /** EBADF, EFAULT, EINVAL, ENOTSOCK: a programming or descriptor error, not a passing one. */
    public static boolean isFatal(int errno) {
        return errno == 9 || errno == 14 || errno == 22 || errno == 88;
    }

    /** The errno the last call made with {@code capture} left. */
    public static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /**
     * A UDP socket of {@code address}'s family bound to {@code address:port} with the given
     * socket buffers; IPv6 wildcard sockets are dual-stack, as Java's own are. Returns the file
     * descriptor.
     *
     * @throws BindException when the address is taken or not this host's
     */
    public static int open(InetAddress address, int port, int bufferBytes) throws IOException {
        int fd = socket(address, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = errnoSegment(arena);
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            value.set(ValueLayout.JAVA_INT, 0, bufferBytes);
            // Best effort, as DatagramChannel's SO_RCVBUF: the kernel caps it at rmem_max.
            int ignored = setsockopt(err, fd, SOL_SOCKET, SO_RCVBUF, value, 4);
            ignored = setsockopt(err, fd, SOL_SOCKET, SO_SNDBUF, value, 4);
            if (!(address instanceof Inet4Address)) {
                value.set(ValueLayout.JAVA_INT, 0, 0);
                ignored = setsockopt(err, fd, IPPROTO_IPV6, IPV6_V6ONLY, value, 4);
            }
            bind(fd, address, port);
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            closeFd(fd);
            throw e;
        }
    }

    /**
     * {@code socket(family, SOCK_DGRAM | SOCK_CLOEXEC | flags, 0)} for {@code address}'s family;
     * {@code flags} may add {@link #SOCK_NONBLOCK}. Returns the file descriptor.
     */
    public static int socket(InetAddress address, int flags) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = errnoSegment(arena);
            int family = address instanceof Inet4Address ? AF_INET : AF_INET6;
            int fd = (int) Core.SOCKET.invokeExact(err, family, SOCK_DGRAM | SOCK_CLOEXEC | flags, 0);
            if (fd < 0) {
                throw new IOException("socket: " + strerror(errno(err)));
            }
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code setsockopt} with an int value; throws naming the option when the kernel refuses. */
    public static void setIntOption(int fd, int level, int name, int value) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = errnoSegment(arena);
            MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
            v.set(ValueLayout.JAVA_INT, 0, value);
            if (setsockopt(err, fd, level, name, v, 4) != 0) {
                throw new IOException(
                        "setsockopt(" + level + ", " + name + ", " + value + "): " + strerror(errno(err)));
            }
        }
    }

    /** {@code SO_RCVTIMEO}: a blocking receive returns after {@code micros} with EAGAIN. */
    public static void setReceiveTimeout(int fd, long micros) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = errnoSegment(arena);
            MemorySegment timeval = arena.allocate(16, 8);
            timeval.set(ValueLayout.JAVA_LONG, 0, micros / 1_000_000);
            timeval.set(ValueLayout.JAVA_LONG, 8, micros % 1_000_000);
            if (setsockopt(err, fd, SOL_SOCKET, SO_RCVTIMEO, timeval, 16) != 0) {
                throw new IOException("setsockopt(SO_RCVTIMEO): " + strerror(errno(err)));
            }
        }
    }

    /**
     * Binds {@code fd} to {@code address:port}.
     *
     * @throws BindException when the address is taken or not this host's
     */
    public static void bind(int fd, InetAddress address, int port) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = errnoSegment(arena);
            MemorySegment sockaddr = arena.allocate(Sockaddr.SIZE, 8);
            int length = Sockaddr.write(sockaddr, address, port);
            if ((int) Core.BIND.invokeExact(err, fd, sockaddr, length) != 0) {
                int e = errno(err);
                String message = strerror(e);
                throw e == EADDRINUSE || e == EADDRNOTAVAIL
                        ? new BindException(message)
                        : new IOException("bind: " + message);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Connects {@code fd} to {@code address:port}: sends need no address, receives come from it only. */
    public static void connect(int fd, InetAddress address, int port) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = errnoSegment(arena);
            MemorySegment sockaddr = arena.allocate(Sockaddr.SIZE, 8);
            int length = Sockaddr.write(sockaddr, address, port);
            if ((int) Batch.CONNECT.invokeExact(err, fd, sockaddr, length) != 0) {
                throw new IOException("connect: " + strerror(errno(err)));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The address a socket is bound to (with the port the kernel picked for port 0). */
    public static InetSocketAddress localAddress(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = errnoSegment(arena);
            MemorySegment sockaddr = arena.allocate(Sockaddr.SIZE, 8);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, Sockaddr.SIZE);
            if ((int) Core.GETSOCKNAME.invokeExact(err, fd, sockaddr, length) != 0) {
                throw new IOException("getsockname: " + strerror(errno(err)));
            }
            return Sockaddr.read(sockaddr);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Wakes a thread blocked in {@link #recvmmsg} on {@code fd}: it returns empty datagrams. */
    public static void shutdown(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            // ENOTCONN on an unconnected UDP socket, yet the kernel marks it shut and wakes readers.
            int ignored = (int) Batch.SHUTDOWN.invokeExact(errnoSegment(arena), fd, SHUT_RDWR);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void closeFd(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) Core.CLOSE.invokeExact(errnoSegment(arena), fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code setsockopt(fd, level, name, value, length)}: 0, or -1 (see errno). */
    public static int setsockopt(MemorySegment err, int fd, int level, int name, MemorySegment value, int length) {
        try {
            return (int) Core.SETSOCKOPT.invokeExact(err, fd, level, name, value, length);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code recvmmsg(fd, msgs, count, flags, NULL)}: datagrams received, or -1 (see errno). */
    public static int recvmmsg(MemorySegment err, int fd, MemorySegment msgs, int count, int flags) {
        try {
            return (int) Batch.RECVMMSG.invokeExact(err, fd, msgs, count, flags, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code recvmmsg(fd, msgs, count, flags, NULL)} keeping no errno: datagrams received, or -1.
     * For hot loops: a call through a handle that captures errno slices the capture segment on
     * every call (inside the JDK), a small heap object that only C2's escape analysis removes,
     * and only where the whole downcall fits in the inlining budget of the method it is compiled
     * into. This form allocates nothing whatever the JIT does; after a -1, repeat the call with
     * the capturing form to learn why (a persistent error repeats, a passing one such as EINTR
     * was going to be retried anyway).
     */
    public static int recvmmsg(int fd, MemorySegment msgs, int count, int flags) {
        try {
            return (int) Batch.RECVMMSG_NO_ERRNO.invokeExact(fd, msgs, count, flags, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code sendmmsg(fd, msgs, count, flags)} keeping no errno: datagrams sent, or -1 (the first
     * failed). Why and what to do after a -1: {@link #recvmmsg(int, MemorySegment, int, int)}.
     */
    public static int sendmmsg(int fd, MemorySegment msgs, int count, int flags) {
        try {
            return (int) Batch.SENDMMSG_NO_ERRNO.invokeExact(fd, msgs, count, flags);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code sendto(fd, buf, length, flags, to, toLength)} keeping no errno: bytes sent, or -1.
     * Why and what to do after a -1: {@link #recvmmsg(int, MemorySegment, int, int)}.
     */
    public static long sendto(int fd, MemorySegment buf, long length, int flags, MemorySegment to, int toLength) {
        try {
            return (long) Batch.SENDTO_NO_ERRNO.invokeExact(fd, buf, length, flags, to, toLength);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code sendmmsg(fd, msgs, count, flags)}: datagrams sent, or -1 (see errno). */
    public static int sendmmsg(MemorySegment err, int fd, MemorySegment msgs, int count, int flags) {
        try {
            return (int) Batch.SENDMMSG.invokeExact(err, fd, msgs, count, flags);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code sendto(fd, buf, length, flags, to, toLength)}: bytes sent, or -1 (see errno). */
    public static long sendto(
            MemorySegment err, int fd, MemorySegment buf, long length, int flags, MemorySegment to, int toLength) {
        try {
            return (long) Single.SENDTO.invokeExact(err, fd, buf, length, flags, to, toLength);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code recvmsg(fd, msg, flags)} with a {@link Msghdr#MSGHDR}: bytes received, or -1 (see
     * errno). With {@link #MSG_ERRQUEUE} it reads the error queue and never blocks.
     */
    public static long recvmsg(MemorySegment err, int fd, MemorySegment msg, int flags) {
        try {
            return (long) Single.RECVMSG.invokeExact(err, fd, msg, flags);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code poll(fds, count, timeoutMillis)} over {@code struct pollfd} entries (int fd, short
     * events, short revents: 8 bytes each): how many have events, 0 on timeout, -1 (see errno).
     */
    public static int poll(MemorySegment err, MemorySegment fds, long count, int timeoutMillis) {
        try {
            return (int) Single.POLL.invokeExact(err, fds, count, timeoutMillis);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The C library's text for {@code errno}, with the number: "Connection refused (errno 111)". */
    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) Core.STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }
}
