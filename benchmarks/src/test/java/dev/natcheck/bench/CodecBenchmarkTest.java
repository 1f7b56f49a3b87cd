package dev.natcheck.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.stun.ChannelDataView;
import dev.natcheck.stun.Framing;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageIntegrity;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.Software;
import dev.natcheck.stun.XorMappedAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.ice4j.TransportAddress;
import org.ice4j.message.Message;
import org.junit.jupiter.api.Test;

/**
 * The benchmark compares like with like: each natcheck method and its ice4j twin read the same
 * address or write the same bytes. Runs the benchmark methods once each; never times them.
 */
class CodecBenchmarkTest {

    private final CodecBenchmark bench = new CodecBenchmark();

    @Test
    void bothCodecsReadTheRfc5769MappedAddress() throws Exception {
        InetSocketAddress expected = new InetSocketAddress(
                InetAddress.getByAddress(Packets.ipv4Bytes(Packets.RFC5769_MAPPED_IPV4)), Packets.RFC5769_MAPPED_PORT);

        TransportAddress ice4j = bench.decodeIce4j();
        InetSocketAddress natcheck = bench.decodeNatcheckSocketAddress();
        long packed = bench.decodeNatcheck();

        assertThat(expected).hasToString("/192.0.2.1:32853");
        assertThat(natcheck).isEqualTo(expected);
        assertThat(new InetSocketAddress(ice4j.getAddress(), ice4j.getPort())).isEqualTo(expected);
        assertThat((int) packed).isEqualTo(Packets.RFC5769_MAPPED_IPV4);
        assertThat((int) (packed >>> 32)).isEqualTo(Packets.RFC5769_MAPPED_PORT);
    }

    @Test
    void bothCodecsWriteTheSameBindingSuccess() throws Exception {
        byte[] natcheck = Arrays.copyOf(bench.out, bench.encodeNatcheck());
        byte[] ice4j = bench.encodeIce4j();

        // Header, XOR-MAPPED-ADDRESS, FINGERPRINT: nothing else on either side (no SOFTWARE).
        assertThat(natcheck).hasSize(20 + 12 + 8).isEqualTo(ice4j);
        // The XOR-MAPPED-ADDRESS attribute is the very one of the RFC 5769 vector.
        assertThat(Arrays.copyOfRange(natcheck, 20, 32))
                .isEqualTo(Arrays.copyOfRange(Packets.RFC5769_IPV4_RESPONSE, 36, 48));

        MessageView view = new MessageView();
        view.decode(ice4j); // checks ice4j's FINGERPRINT too
        assertThat(view.hasFingerprint()).isTrue();
        assertThat(view.messageClass()).isEqualTo(MessageClass.SUCCESS_RESPONSE);
        assertThat(view.method()).isEqualTo(Method.BINDING);
        assertThat(view.xorMappedAddress())
                .get()
                .extracting(XorMappedAddress::port)
                .isEqualTo(Packets.RFC5769_MAPPED_PORT);
    }

    @Test
    void theAllocateSuccessIsCoturnsOwnAndBothCodecsReadTheSameRelay() throws Exception {
        MessageView view = new MessageView();
        view.decode(Packets.COTURN_ALLOCATE_SUCCESS);
        // Sealed by coturn under the test user's key: the capture is genuine and unaltered.
        assertThat(view.verifyMessageIntegrity(MessageIntegrity.longTermKey("alice", "natcheck.test", "secret")))
                .isTrue();
        assertThat(view.software()).contains(new Software("Coturn-4.6.1 'Gorst'"));

        long natcheck = bench.decodeAllocateSuccessNatcheck();
        long ice4j = bench.decodeAllocateSuccessIce4j();

        assertThat(view.xorRelayedAddress().orElseThrow().socketAddress()).hasToString("/127.0.0.1:54237");
        long expectedNatcheck = ((long) Packets.COTURN_RELAYED_PORT << 32 | Packets.COTURN_RELAYED_IPV4) ^ 600L << 48;
        assertThat(natcheck).isEqualTo(expectedNatcheck);
        InetAddress relayed = InetAddress.getByAddress(Packets.ipv4Bytes(Packets.COTURN_RELAYED_IPV4));
        assertThat(ice4j).isEqualTo((long) Packets.COTURN_RELAYED_PORT << 32 ^ relayed.hashCode() ^ 600L << 48);
    }

    @Test
    void bothCodecsReadTheSameChannelData() throws Exception {
        ChannelDataView view = new ChannelDataView();
        view.decode(Packets.CHANNEL_DATA, 0, Packets.CHANNEL_DATA.length, Framing.DATAGRAM);
        org.ice4j.message.ChannelData ice4j = org.ice4j.message.ChannelData.decode(
                Packets.CHANNEL_DATA, (char) 0, (char) Packets.CHANNEL_DATA.length);

        assertThat(view.channelNumber()).isEqualTo(0x4000).isEqualTo((int) ice4j.getChannelNumber());
        assertThat(Arrays.copyOfRange(Packets.CHANNEL_DATA, view.dataOffset(), view.dataOffset() + view.dataLength()))
                .hasSize(160)
                .isEqualTo(ice4j.getData());
        assertThat(bench.decodeChannelDataNatcheck()).isEqualTo(0x4000 + 4 + 160);
        assertThat(bench.decodeChannelDataIce4j()).isEqualTo(0x4000 + 160);
    }

    @Test
    void bothServersAnswerTheBindingRequestAlike() throws Exception {
        Message request = Message.decode(Packets.BINDING_REQUEST, 0, Packets.BINDING_REQUEST.length);
        assertThat(request.getMessageType()).isEqualTo(Message.BINDING_REQUEST);

        int n = bench.serveNatcheck();
        byte[] natcheck = Arrays.copyOf(bench.out, n);
        byte[] ice4j = bench.serveIce4j();

        assertThat(natcheck).hasSize(40).isEqualTo(ice4j);
        MessageView answer = new MessageView();
        answer.decode(natcheck);
        assertThat(answer.transactionId().toBytes()).isEqualTo(request.getTransactionID());
        assertThat(answer.xorMappedAddress())
                .get()
                .extracting(XorMappedAddress::socketAddress)
                .isEqualTo(new InetSocketAddress(
                        InetAddress.getByAddress(Packets.ipv4Bytes(Packets.CLIENT_IPV4)), Packets.CLIENT_PORT));
    }

    @Test
    void decodeFloorReadsTheSameAddressAndChecksTheFingerprint() throws Exception {
        DecodeFloorBenchmark floor = new DecodeFloorBenchmark();

        assertThat(floor.decodeFloor()).isEqualTo(bench.decodeNatcheck());
        DecodeFloorBenchmark walkOnly = new DecodeFloorBenchmark();
        walkOnly.fingerprint = false;
        assertThat(walkOnly.decodeFloor()).isEqualTo(bench.decodeNatcheck());

        floor.response[30] ^= 1; // inside SOFTWARE, covered by the CRC
        assertThat(floor.decodeFloor()).isEqualTo(-4);
    }
}
