package dev.natcheck.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The forms of recvmmsg, sendmmsg and sendto that keep no errno, on loopback sockets: they move
 * datagrams as the capturing forms do, return -1 on failure, and the capturing form called after
 * that says why.
 */
class NoErrnoCallsTest {

    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");
    private static final int EBADF = 9;
    private static final long MSG = Msghdr.MMSGHDR.byteSize();
    private static final long IOV = Msghdr.IOVEC.byteSize();

    @BeforeEach
    void onLinux() {
        assumeTrue(LinuxUdp.AVAILABLE, () -> "Linux socket calls unavailable: " + LinuxUdp.UNAVAILABLE_REASON);
    }

    /** {@code count} message headers, each with one 2048-byte buffer and room for an address. */
    private static MemorySegment messages(Arena arena, int count) {
        MemorySegment msgs = arena.allocate(MSG * count, 8);
        MemorySegment iov = arena.allocate(IOV * count, 8);
        for (int i = 0; i < count; i++) {
            msgs.set(ValueLayout.ADDRESS, MSG * i + Msghdr.NAME, arena.allocate(Sockaddr.SIZE, 8));
            msgs.set(ValueLayout.JAVA_INT, MSG * i + Msghdr.NAMELEN, Sockaddr.SIZE);
            msgs.set(ValueLayout.ADDRESS, MSG * i + Msghdr.IOV, iov.asSlice(IOV * i, IOV));
            msgs.set(ValueLayout.JAVA_LONG, MSG * i + Msghdr.IOVLEN, 1);
            iov.set(ValueLayout.ADDRESS, IOV * i + Msghdr.IOV_BASE, arena.allocate(2048));
            iov.set(ValueLayout.JAVA_LONG, IOV * i + Msghdr.IOV_LEN, 2048);
        }
        return msgs;
    }

    private static String payload(MemorySegment msgs, int i) {
        MemorySegment iov = msgs.get(ValueLayout.ADDRESS, MSG * i + Msghdr.IOV).reinterpret(IOV);
        MemorySegment buf = iov.get(ValueLayout.ADDRESS, Msghdr.IOV_BASE).reinterpret(2048);
        int n = msgs.get(ValueLayout.JAVA_INT, MSG * i + Msghdr.LEN);
        return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
    }

    @Test
    void sendtoAndRecvmmsgMoveDatagrams() throws Exception {
        int fd = LinuxUdp.open(LOOPBACK, 0, 1 << 16);
        try (Arena arena = Arena.ofConfined();
                DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            peer.setSoTimeout(5_000);
            InetSocketAddress self = LinuxUdp.localAddress(fd);
            for (String text : new String[] {"one", "two"}) {
                byte[] b = text.getBytes(StandardCharsets.US_ASCII);
                peer.send(new DatagramPacket(b, b.length, self));
            }
            LinuxUdp.setReceiveTimeout(fd, 5_000_000); // a guard: both datagrams are queued already
            MemorySegment msgs = messages(arena, 4);
            int got = LinuxUdp.recvmmsg(fd, msgs, 4, LinuxUdp.MSG_WAITFORONE);
            if (got == 1) { // loopback queues a datagram within send(), but be generous
                got += Math.max(0, LinuxUdp.recvmmsg(fd, msgs.asSlice(MSG), 3, LinuxUdp.MSG_WAITFORONE));
            }
            assertThat(got).isEqualTo(2);
            assertThat(payload(msgs, 0)).isEqualTo("one");
            assertThat(payload(msgs, 1)).isEqualTo("two");

            MemorySegment buf = arena.allocateFrom("three", StandardCharsets.US_ASCII);
            MemorySegment to = arena.allocate(Sockaddr.SIZE, 8);
            int toLength = Sockaddr.write(to, LOOPBACK, peer.getLocalPort());
            assertThat(LinuxUdp.sendto(fd, buf, 5, LinuxUdp.MSG_NOSIGNAL, to, toLength))
                    .isEqualTo(5);
            DatagramPacket p = new DatagramPacket(new byte[64], 64);
            peer.receive(p);
            assertThat(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII))
                    .isEqualTo("three");
            assertThat(p.getSocketAddress()).isEqualTo(self);
        } finally {
            LinuxUdp.closeFd(fd);
        }
    }

    @Test
    void sendmmsgSendsEveryQueuedDatagram() throws Exception {
        int fd = LinuxUdp.open(LOOPBACK, 0, 1 << 16);
        try (Arena arena = Arena.ofConfined();
                DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            peer.setSoTimeout(5_000);
            MemorySegment msgs = messages(arena, 3);
            for (int i = 0; i < 3; i++) {
                MemorySegment name =
                        msgs.get(ValueLayout.ADDRESS, MSG * i + Msghdr.NAME).reinterpret(Sockaddr.SIZE);
                msgs.set(
                        ValueLayout.JAVA_INT,
                        MSG * i + Msghdr.NAMELEN,
                        Sockaddr.write(name, LOOPBACK, peer.getLocalPort()));
                MemorySegment iov =
                        msgs.get(ValueLayout.ADDRESS, MSG * i + Msghdr.IOV).reinterpret(IOV);
                iov.get(ValueLayout.ADDRESS, Msghdr.IOV_BASE).reinterpret(2048).set(ValueLayout.JAVA_BYTE, 0, (byte)
                        ('a' + i));
                iov.set(ValueLayout.JAVA_LONG, Msghdr.IOV_LEN, 1);
            }
            assertThat(LinuxUdp.sendmmsg(fd, msgs, 3, LinuxUdp.MSG_NOSIGNAL)).isEqualTo(3);
            StringBuilder received = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                DatagramPacket p = new DatagramPacket(new byte[64], 64);
                peer.receive(p);
                received.append(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII));
            }
            assertThat(received).hasToString("abc");
        } finally {
            LinuxUdp.closeFd(fd);
        }
    }

    @Test
    void afterMinusOneTheCapturingFormSaysWhy() throws Exception {
        int fd = -1; // never a descriptor: EBADF, every time
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = LinuxUdp.errnoSegment(arena);
            MemorySegment msgs = messages(arena, 1);
            MemorySegment buf = arena.allocate(1);
            MemorySegment to = arena.allocate(Sockaddr.SIZE, 8);
            int toLength = Sockaddr.write(to, LOOPBACK, 9);

            assertThat(LinuxUdp.recvmmsg(fd, msgs, 1, LinuxUdp.MSG_DONTWAIT)).isEqualTo(-1);
            assertThat(LinuxUdp.recvmmsg(err, fd, msgs, 1, LinuxUdp.MSG_DONTWAIT))
                    .isEqualTo(-1);
            assertThat(LinuxUdp.errno(err)).isEqualTo(EBADF);

            err.fill((byte) 0);
            assertThat(LinuxUdp.sendmmsg(fd, msgs, 1, LinuxUdp.MSG_NOSIGNAL)).isEqualTo(-1);
            assertThat(LinuxUdp.sendmmsg(err, fd, msgs, 1, LinuxUdp.MSG_NOSIGNAL))
                    .isEqualTo(-1);
            assertThat(LinuxUdp.errno(err)).isEqualTo(EBADF);

            err.fill((byte) 0);
            assertThat(LinuxUdp.sendto(fd, buf, 1, LinuxUdp.MSG_NOSIGNAL, to, toLength))
                    .isEqualTo(-1);
            assertThat(LinuxUdp.sendto(err, fd, buf, 1, LinuxUdp.MSG_NOSIGNAL, to, toLength))
                    .isEqualTo(-1);
            assertThat(LinuxUdp.errno(err)).isEqualTo(EBADF);
        }
    }
}
