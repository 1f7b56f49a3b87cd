package dev.natcheck.stunserver;

import dev.natcheck.linux.LinuxUdp;
import dev.natcheck.linux.Msghdr;
import dev.natcheck.linux.Sockaddr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The native memory one batched receive loop works in, allocated once: {@code recvmmsg}'s
 * message headers, buffers and sender addresses, and {@code sendmmsg}'s for the answers. A
 * receive loop owns one; nothing in it is shared between threads.
 */
final class NativeBatch {

    private static final long MSG = Msghdr.MMSGHDR.byteSize();
    private static final long IOV = Msghdr.IOVEC.byteSize();
    private static final int NAME = Sockaddr.SIZE;

    final MemorySegment errno;
    final MemorySegment rxMsgs;
    private final MemorySegment rxNames;
    private final MemorySegment rxBufs;
    private final MemorySegment txMsgs;
    /** txMsgs from message k on, made once: sendmmsg resumes after a failed datagram. */
    private final MemorySegment[] txFrom;

    private final MemorySegment txIov;
    private final MemorySegment txNames;
    private final MemorySegment txBufs;
    private final MemorySegment oneBuf;
    private final MemorySegment oneName;
    private final int[] txCounter;
    // Heap segments over the loop's own arrays, made once: a segment-to-segment copy then needs
    // no wrapper object per packet.
    private final MemorySegment in;
    private final MemorySegment out;
    private final MemorySegment client;
    private final int slot;
    private int txCount;

    /** The received message being handled; its sender is where queued answers go. */
    int current;

    int senderLength;
    int senderPort;

    NativeBatch(Arena arena, int count, int slot, byte[] in, byte[] out, byte[] client) {
        this.slot = slot;
        this.in = MemorySegment.ofArray(in);
        this.out = MemorySegment.ofArray(out);
        this.client = MemorySegment.ofArray(client);
        errno = LinuxUdp.errnoSegment(arena);
        rxMsgs = arena.allocate(MSG * count, 8);
        MemorySegment rxIov = arena.allocate(IOV * count, 8);
        rxNames = arena.allocate((long) NAME * count, 8);
        // The buffers are large (a slot per datagram, 64 KiB so nothing is ever truncated) but
        // only the pages datagrams are written to become resident.
        rxBufs = LinuxUdp.allocateUntouched(arena, (long) slot * count);
        txMsgs = arena.allocate(MSG * count, 8);
        txIov = arena.allocate(IOV * count, 8);
        txNames = arena.allocate((long) NAME * count, 8);
        txBufs = LinuxUdp.allocateUntouched(arena, (long) slot * count);
        oneBuf = arena.allocate(slot, 8);
        oneName = arena.allocate(NAME, 8);
        txCounter = new int[count];
        txFrom = new MemorySegment[count];
        for (int i = 0; i < count; i++) {
            header(rxMsgs, rxIov, i, rxNames.asSlice((long) NAME * i, NAME), rxBufs.asSlice((long) slot * i, slot));
            rxIov.set(ValueLayout.JAVA_LONG, IOV * i + Msghdr.IOV_LEN, slot);
            header(txMsgs, txIov, i, txNames.asSlice((long) NAME * i, NAME), txBufs.asSlice((long) slot * i, slot));
            txFrom[i] = txMsgs.asSlice(MSG * i);
        }
    }

    private static void header(MemorySegment msgs, MemorySegment iov, int i, MemorySegment name, MemorySegment buf) {
        long m = MSG * i;
        msgs.set(ValueLayout.ADDRESS, m + Msghdr.NAME, name);
        msgs.set(ValueLayout.ADDRESS, m + Msghdr.IOV, iov.asSlice(IOV * i, IOV));
        msgs.set(ValueLayout.JAVA_LONG, m + Msghdr.IOVLEN, 1);
        iov.set(ValueLayout.ADDRESS, IOV * i, buf);
    }

    /** Resets what the kernel overwrites on receive: the room for each sender's address. */
    void prepareReceive() {
        for (int i = 0; i < txCounter.length; i++) {
            rxMsgs.set(ValueLayout.JAVA_INT, MSG * i + Msghdr.NAMELEN, NAME);
        }
        txCount = 0;
    }

    int received(int i) {
        return rxMsgs.get(ValueLayout.JAVA_INT, MSG * i + Msghdr.LEN);
    }

    boolean truncated(int i) {
        return (rxMsgs.get(ValueLayout.JAVA_INT, MSG * i + Msghdr.FLAGS) & LinuxUdp.MSG_TRUNC) != 0;
    }

    /**
     * Writes message {@code i}'s sender address into {@code dst} (4 bytes for IPv4, IPv4-mapped
     * IPv6 included, else 16) and sets {@link #senderLength} and {@link #senderPort}; false if
     * the kernel gave no IPv4 or IPv6 address.
     */
    boolean senderOf(int i, byte[] dst) {
        // dst is the client array this batch was made with; written through its segment.
        long name = (long) NAME * i;
        int nameLength = rxMsgs.get(ValueLayout.JAVA_INT, MSG * i + Msghdr.NAMELEN);
        int family = rxNames.get(ValueLayout.JAVA_SHORT, name);
        senderPort = Short.toUnsignedInt(rxNames.get(Sockaddr.PORT, name + 2));
        if (family == LinuxUdp.AF_INET && nameLength >= 16) {
            MemorySegment.copy(rxNames, name + 4, client, 0, 4);
            senderLength = 4;
            return true;
        }
        if (family == LinuxUdp.AF_INET6 && nameLength >= 24) {
            MemorySegment.copy(rxNames, name + 8, client, 0, 16);
            senderLength = ReceiveLoop.isIpv4Mapped(dst) ? 4 : 16;
            if (senderLength == 4) {
                System.arraycopy(dst, 12, dst, 0, 4);
            }
            return true;
        }
        return false;
    }

    /** Copies message {@code i}'s {@code n} bytes into the {@code in} array. */
    void copyIn(int i, int n) {
        MemorySegment.copy(rxBufs, (long) slot * i, in, 0, n);
    }

    /** Queues {@code out[0 .. length)} to the current sender at {@code port}, sent by {@link #flush}. */
    void queueAnswer(int length, int port, int counter) {
        int k = txCount++;
        MemorySegment.copy(out, 0, txBufs, (long) slot * k, length);
        int nameLength = destination(txNames, (long) NAME * k, port);
        long m = MSG * k;
        txMsgs.set(ValueLayout.JAVA_INT, m + Msghdr.NAMELEN, nameLength);
        txIov.set(ValueLayout.JAVA_LONG, IOV * k + Msghdr.IOV_LEN, length);
        txCounter[k] = counter;
    }

    /**
     * Sends {@code out[0 .. length)} to the current sender at {@code port} from another socket.
     * First through the form of sendto that keeps no errno (it allocates nothing whatever the JIT
     * does); a failed send is tried once more keeping errno, so after false {@link #errno} says why.
     */
    boolean sendNow(int fd, int length, int port) {
        MemorySegment.copy(out, 0, oneBuf, 0, length);
        int nameLength = destination(oneName, 0, port);
        return LinuxUdp.sendto(fd, oneBuf, length, LinuxUdp.MSG_NOSIGNAL, oneName, nameLength) >= 0
                || LinuxUdp.sendto(errno, fd, oneBuf, length, LinuxUdp.MSG_NOSIGNAL, oneName, nameLength) >= 0;
    }

    /** The current sender's address with {@code port}, written at {@code to[offset]}. */
    private int destination(MemorySegment to, long offset, int port) {
        long from = (long) NAME * current;
        int nameLength = rxMsgs.get(ValueLayout.JAVA_INT, MSG * current + Msghdr.NAMELEN);
        MemorySegment.copy(rxNames, from, to, offset, nameLength);
        if (port != senderPort) {
            to.set(Sockaddr.PORT, offset + 2, (short) port); // RESPONSE-PORT
        }
        return nameLength;
    }

    /**
     * Sends every queued answer from {@code fd}, counting each as sent or failed. As
     * {@link #sendNow}: the form that keeps no errno first, and after a failure the same
     * datagrams once more keeping errno, which decides between trying again and skipping one.
     */
    void flush(int fd, AtomicLongArray counts) {
        int sent = 0;
        while (sent < txCount) {
            int r = LinuxUdp.sendmmsg(fd, txFrom[sent], txCount - sent, LinuxUdp.MSG_NOSIGNAL);
            if (r < 0) {
                r = LinuxUdp.sendmmsg(errno, fd, txFrom[sent], txCount - sent, LinuxUdp.MSG_NOSIGNAL);
            }
            if (r < 0) {
                if (LinuxUdp.errno(errno) == LinuxUdp.EINTR) {
                    continue;
                }
                // The first unsent datagram failed (no route, unreachable, ...): skip it, go on.
                increment(counts, Counter.SEND_FAILED.ordinal());
                sent++;
                continue;
            }
            for (int k = sent; k < sent + r; k++) {
                increment(counts, txCounter[k]);
            }
            sent += r;
        }
        txCount = 0;
    }

    private static void increment(AtomicLongArray counts, int i) {
        // One writer per array: a release store is enough for readers on other threads.
        counts.setRelease(i, counts.getPlain(i) + 1);
    }
}
