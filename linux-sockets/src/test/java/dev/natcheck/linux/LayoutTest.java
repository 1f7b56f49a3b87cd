package dev.natcheck.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The struct sizes and offsets of 64-bit Linux, and sockaddr round trips. */
class LayoutTest {

    @Test
    void structsHaveTheKernelsSizes() {
        assertThat(Msghdr.IOVEC.byteSize()).isEqualTo(16);
        assertThat(Msghdr.MSGHDR.byteSize()).isEqualTo(56);
        assertThat(Msghdr.MMSGHDR.byteSize()).isEqualTo(64);
        assertThat(new long[] {Msghdr.NAME, Msghdr.NAMELEN, Msghdr.IOV, Msghdr.IOVLEN, Msghdr.CONTROL})
                .containsExactly(0, 8, 16, 24, 32);
        assertThat(new long[] {Msghdr.CONTROLLEN, Msghdr.FLAGS, Msghdr.LEN}).containsExactly(40, 48, 56);
        assertThat(Msghdr.IOV_LEN).isEqualTo(8);
    }

    @Test
    void controlMessagesAlignToEightBytes() {
        assertThat(new long[] {Msghdr.cmsgAlign(16), Msghdr.cmsgAlign(20), Msghdr.cmsgAlign(48), Msghdr.cmsgAlign(49)})
                .containsExactly(16, 24, 48, 56);
    }

    @Test
    void sockaddrsRoundTrip() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(Sockaddr.SIZE, 8);
            for (String literal : new String[] {"198.51.100.2", "2001:db8::7", "::ffff:192.0.2.1"}) {
                InetSocketAddress a = new InetSocketAddress(InetAddress.ofLiteral(literal), 40000);
                int length = Sockaddr.write(s, a.getAddress(), a.getPort());
                assertThat(length).isEqualTo(a.getAddress().getAddress().length == 4 ? 16 : 28);
                assertThat(Sockaddr.read(s)).isEqualTo(a);
            }
        }
    }

    @Test
    void portsAndAddressesAreInNetworkOrder() {
        byte[] bytes = new byte[Sockaddr.SIZE];
        Sockaddr.write(MemorySegment.ofArray(bytes), InetAddress.ofLiteral("192.168.1.1"), 3478);
        assertThat(new byte[] {bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]})
                .containsExactly(0x0D, (byte) 0x96, (byte) 192, (byte) 168, 1, 1);
    }
}
