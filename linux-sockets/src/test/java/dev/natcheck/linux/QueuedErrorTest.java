package dev.natcheck.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reading an error-queue entry from hand-built control data, laid out as the kernel writes it
 * (ip_recv_error: one {@code cmsghdr} of level SOL_IP, type IP_RECVERR, holding a
 * {@code sock_extended_err} and the offender's {@code sockaddr_in}): one case per row.
 */
class QueuedErrorTest {

    private static final int SOL_SOCKET = 1;
    private static final int SO_TIMESTAMP = 29;
    private static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.ofLiteral("203.0.113.10"), 33435);

    /** A control buffer in the host's byte order, written cmsg by cmsg. */
    private static final class Control {
        final ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.nativeOrder());

        Control cmsg(long length, int level, int type, byte[] data) {
            int start = b.position();
            b.putLong(length).putInt(level).putInt(type).put(data);
            // Positioned after what was written: a cmsg_len that claims more then runs past the end.
            b.position(start + (int) Msghdr.cmsgAlign(Msghdr.CMSG_HEADER + data.length));
            return this;
        }

        Control recverr(byte[] data) {
            return cmsg(Msghdr.CMSG_HEADER + data.length, LinuxUdp.IPPROTO_IP, LinuxUdp.IP_RECVERR, data);
        }

        MemorySegment segment() {
            return MemorySegment.ofArray(b.array());
        }

        long length() {
            return b.position();
        }
    }

    /** sock_extended_err then the offender's sockaddr: none when null, AF_UNSPEC zeros for "unspec". */
    private static byte[] extendedError(int errno, int origin, int type, int code, String offender) {
        ByteBuffer b = ByteBuffer.allocate(ExtendedError.SIZE + (offender != null && offender.contains(":") ? 28 : 16))
                .order(ByteOrder.nativeOrder());
        b.putInt(errno).put((byte) origin).put((byte) type).put((byte) code).put((byte) 0);
        b.putInt(0).putInt(0);
        if ("unspec".equals(offender)) {
            b.put(new byte[16]); // what the kernel writes when it names no offender: all zero
        } else if (offender != null) {
            b.put(sockaddr(new InetSocketAddress(InetAddress.ofLiteral(offender), 0)));
        }
        return b.array();
    }

    private static byte[] sockaddr(InetSocketAddress address) {
        byte[] a = new byte[Sockaddr.SIZE];
        int length = Sockaddr.write(MemorySegment.ofArray(a), address.getAddress(), address.getPort());
        return Arrays.copyOf(a, length);
    }

    private static QueuedError parse(Control control, int flags, byte[] name) throws Exception {
        byte[] room = Arrays.copyOf(name, Sockaddr.SIZE);
        return QueuedError.parse(
                control.segment(), control.length(), flags, MemorySegment.ofArray(room), name.length, 8);
    }

    record Row(String name, Control control, String origin, int type, int code, Optional<String> offender) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> wellFormed() {
        return Stream.of(
                new Row(
                        "time exceeded from a router",
                        new Control().recverr(extendedError(LinuxUdp.EHOSTUNREACH, 2, 11, 0, "192.168.1.1")),
                        "icmp",
                        11,
                        0,
                        Optional.of("192.168.1.1")),
                new Row(
                        "port unreachable from the host that owns the address",
                        new Control().recverr(extendedError(LinuxUdp.ECONNREFUSED, 2, 3, 3, "198.51.100.2")),
                        "icmp",
                        3,
                        3,
                        Optional.of("198.51.100.2")),
                new Row(
                        "host unreachable from a carrier router",
                        new Control().recverr(extendedError(LinuxUdp.EHOSTUNREACH, 2, 3, 1, "100.64.1.1")),
                        "icmp",
                        3,
                        1,
                        Optional.of("100.64.1.1")),
                new Row(
                        "a local error has no offender (AF_UNSPEC)",
                        new Control().recverr(extendedError(90, 1, 0, 0, "unspec")),
                        "local",
                        0,
                        0,
                        Optional.empty()),
                new Row(
                        "the offender may be missing altogether",
                        new Control().recverr(Arrays.copyOf(extendedError(90, 1, 0, 0, null), 16)),
                        "local",
                        0,
                        0,
                        Optional.empty()),
                new Row(
                        "a timestamp before the error is skipped",
                        new Control()
                                .cmsg(Msghdr.CMSG_HEADER + 16, SOL_SOCKET, SO_TIMESTAMP, new byte[16])
                                .recverr(extendedError(LinuxUdp.EHOSTUNREACH, 2, 11, 0, "100.64.1.1")),
                        "icmp",
                        11,
                        0,
                        Optional.of("100.64.1.1")),
                new Row(
                        "an odd-length message before the error is skipped to the next 8-byte boundary",
                        new Control()
                                .cmsg(Msghdr.CMSG_HEADER + 4, LinuxUdp.IPPROTO_IP, LinuxUdp.IP_TTL, new byte[] {
                                    64, 0, 0, 0
                                })
                                .recverr(extendedError(LinuxUdp.EHOSTUNREACH, 2, 11, 0, "192.168.1.1")),
                        "icmp",
                        11,
                        0,
                        Optional.of("192.168.1.1")),
                new Row(
                        "an IPv6 offender",
                        new Control().recverr(extendedError(LinuxUdp.EHOSTUNREACH, 3, 3, 0, "2001:db8::1")),
                        "icmp6",
                        3,
                        0,
                        Optional.of("2001:db8::1")));
    }

    @ParameterizedTest
    @MethodSource("wellFormed")
    void readsTheErrorItsTypeCodeAndOffender(Row row) throws Exception {
        QueuedError e = parse(row.control, 0, sockaddr(SERVER));

        assertThat(e.destination()).contains(SERVER);
        assertThat(e.quotedPayloadLength()).isEqualTo(8);
        assertThat(e.error().origin())
                .isEqualTo(
                        switch (row.origin) {
                            case "icmp" -> ExtendedError.ORIGIN_ICMP;
                            case "icmp6" -> ExtendedError.ORIGIN_ICMP6;
                            default -> ExtendedError.ORIGIN_LOCAL;
                        });
        assertThat(e.error().type()).isEqualTo(row.type);
        assertThat(e.error().code()).isEqualTo(row.code);
        assertThat(e.error().offender()).isEqualTo(row.offender.map(InetAddress::ofLiteral));
    }

    @ParameterizedTest
    @MethodSource("wellFormed")
    void timeExceededAndPortUnreachableAreTold(Row row) throws Exception {
        ExtendedError e = parse(row.control, 0, sockaddr(SERVER)).error();

        assertThat(e.isTimeExceeded()).isEqualTo(row.origin.equals("icmp") && row.type == 11);
        assertThat(e.isPortUnreachable()).isEqualTo(row.origin.equals("icmp") && row.type == 3 && row.code == 3);
    }

    @ParameterizedTest
    @MethodSource("wellFormed")
    void noNameMeansNoDestination(Row row) throws Exception {
        assertThat(parse(row.control, 0, new byte[0]).destination()).isEmpty();
    }

    static Stream<Arguments> malformed() {
        byte[] te = extendedError(LinuxUdp.EHOSTUNREACH, 2, 11, 0, "192.168.1.1");
        return Stream.of(
                Arguments.of(
                        "the kernel truncated the control data",
                        new Control().recverr(te),
                        LinuxUdp.MSG_CTRUNC,
                        "control data truncated (MSG_CTRUNC)"),
                Arguments.of(
                        "cmsg_len shorter than its own header",
                        new Control().cmsg(8, LinuxUdp.IPPROTO_IP, LinuxUdp.IP_RECVERR, te),
                        0,
                        "cmsg_len 8 at offset 0 is shorter than the header (16)"),
                Arguments.of(
                        "cmsg_len past the end of the control data",
                        new Control().cmsg(400, LinuxUdp.IPPROTO_IP, LinuxUdp.IP_RECVERR, te),
                        0,
                        "cmsg_len 400 at offset 0 runs past the control data (48 bytes)"),
                Arguments.of(
                        "a second cmsg_len past the end",
                        new Control()
                                .cmsg(Msghdr.CMSG_HEADER + 16, SOL_SOCKET, SO_TIMESTAMP, new byte[16])
                                .cmsg(200, LinuxUdp.IPPROTO_IP, LinuxUdp.IP_RECVERR, te),
                        0,
                        "cmsg_len 200 at offset 32 runs past the control data (80 bytes)"),
                Arguments.of(
                        "no IP_RECVERR message",
                        new Control().cmsg(Msghdr.CMSG_HEADER + 16, SOL_SOCKET, SO_TIMESTAMP, new byte[16]),
                        0,
                        "no IP_RECVERR control message in 32 bytes"),
                Arguments.of("no control data at all", new Control(), 0, "no IP_RECVERR control message in 0 bytes"),
                Arguments.of(
                        "IP_RECVERR shorter than struct sock_extended_err",
                        new Control().recverr(new byte[12]),
                        0,
                        "IP_RECVERR data at offset 16 is 12 bytes, shorter than struct sock_extended_err (16)"),
                Arguments.of(
                        "an IPv4 offender cut short",
                        new Control().recverr(Arrays.copyOf(te, 20)),
                        0,
                        "SO_EE_OFFENDER at offset 32 has family 2 but only 4 bytes (need 8)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedControlDataIsRefusedSayingWhatAndWhere(String name, Control control, int flags, String message) {
        assertThatThrownBy(() -> parse(control, flags, sockaddr(SERVER)))
                .isInstanceOf(MalformedControlMessageException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "msg_namelen {0}")
    @MethodSource("badNameLengths")
    void aNameLengthOutsideItsBufferIsRefused(int nameLength) {
        Control control = new Control().recverr(extendedError(LinuxUdp.EHOSTUNREACH, 2, 11, 0, "192.168.1.1"));
        assertThatThrownBy(() -> QueuedError.parse(
                        control.segment(),
                        control.length(),
                        0,
                        MemorySegment.ofArray(new byte[Sockaddr.SIZE]),
                        nameLength,
                        0))
                .isInstanceOf(MalformedControlMessageException.class)
                .hasMessageContaining("msg_namelen " + nameLength);
    }

    static Stream<Integer> badNameLengths() {
        return Stream.of(-1, Sockaddr.SIZE + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptions")
    void describesTheErrorForNotes(String expected, ExtendedError error) {
        assertThat(error.describe()).isEqualTo(expected);
    }

    static Stream<Arguments> descriptions() {
        Optional<InetAddress> router = Optional.of(InetAddress.ofLiteral("192.168.1.1"));
        return Stream.of(
                Arguments.of(
                        "ICMP type 11 code 0 from 192.168.1.1",
                        new ExtendedError(LinuxUdp.EHOSTUNREACH, 2, 11, 0, 0, 0, router)),
                Arguments.of("local error 90", new ExtendedError(90, 1, 0, 0, 1500, 0, Optional.empty())),
                Arguments.of(
                        "ICMPv6 type 3 code 0 from 192.168.1.1",
                        new ExtendedError(LinuxUdp.EHOSTUNREACH, 3, 3, 0, 0, 0, router)));
    }
}
