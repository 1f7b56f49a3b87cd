package dev.natcheck.bench;

import dev.natcheck.stun.ChannelData;
import dev.natcheck.stun.Framing;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.TransactionId;
import java.util.Arrays;
import java.util.HexFormat;

/** The packets the STUN codec benchmarks feed to both codecs, so both do the same work. */
final class Packets {

    private Packets() {}

    /** RFC 5769 §2.2 Sample IPv4 Response: SOFTWARE, XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT. */
    static final byte[] RFC5769_IPV4_RESPONSE = hex("""
            01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 08 00 01 a1 47 e1 12 a6 43
            00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
            80 28 00 04 c0 7d 4c 96
            """);

    /** The vector's transaction id (bytes 8..19). */
    static final byte[] RFC5769_TRANSACTION_ID = Arrays.copyOfRange(RFC5769_IPV4_RESPONSE, 8, 20);

    /** The mapped address RFC 5769 §2.2 says the vector carries: 192.0.2.1 port 32853. */
    static final int RFC5769_MAPPED_IPV4 = 0xC0000201;

    static final int RFC5769_MAPPED_PORT = 32853;

    /**
     * What the server path receives: a Binding request with FINGERPRINT and nothing else, as
     * most STUN clients send it (28 bytes). Built once with this codec; the sanity test checks
     * ice4j reads it as the same Binding request.
     */
    static final byte[] BINDING_REQUEST = bindingRequest();

    /** The client address the server path reports back: 198.51.100.7 port 40000. */
    static final int CLIENT_IPV4 = 0xC6336407;

    static final int CLIENT_PORT = 40000;

    /**
     * An Allocate success exactly as coturn 4.6.1 sent it on loopback (captured for the TURN
     * benchmarks): XOR-RELAYED-ADDRESS 127.0.0.1:54237, XOR-MAPPED-ADDRESS 127.0.0.1:57314,
     * LIFETIME 600, SOFTWARE "Coturn-4.6.1 'Gorst'", MESSAGE-INTEGRITY under the long-term key of
     * alice / natcheck.test / secret, FINGERPRINT. 108 bytes.
     */
    static final byte[] COTURN_ALLOCATE_SUCCESS = hex("""
            01 03 00 58 21 12 a4 42 aa 3a 29 c4 8c c1 ff 13 52 96 bd 21
            00 16 00 08 00 01 f2 cf 5e 12 a4 43
            00 20 00 08 00 01 fe f0 5e 12 a4 43
            00 0d 00 04 00 00 02 58
            80 22 00 14 43 6f 74 75 72 6e 2d 34 2e 36 2e 31 20 27 47 6f 72 73 74 27
            00 08 00 14 60 76 6f ad c3 d8 70 4f 58 89 09 88 10 c1 66 18 9b 8d 05 a5
            80 28 00 04 fd d7 b3 a1
            """);

    /** The relayed address the captured Allocate success carries: 127.0.0.1 port 54237. */
    static final int COTURN_RELAYED_IPV4 = 0x7F000001;

    static final int COTURN_RELAYED_PORT = 54237;

    /** The relay's data path: a ChannelData datagram on channel 0x4000 with 160 bytes (20 ms of G.711). */
    static final byte[] CHANNEL_DATA = channelData();

    private static byte[] channelData() {
        byte[] payload = new byte[160];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7);
        }
        return new ChannelData(0x4000, payload).encode(Framing.DATAGRAM);
    }

    private static byte[] bindingRequest() {
        byte[] b = new byte[64];
        // A fixed id, so every run and both codecs see the very same bytes.
        TransactionId id = TransactionId.of(hex("5d 3c 21 7a 90 1e 44 c2 08 b7 6e 13"));
        int n = new MessageEncoder()
                .begin(b, 0, MessageClass.REQUEST, Method.BINDING, id)
                .finish(true);
        return Arrays.copyOf(b, n);
    }

    static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replaceAll("\\s+", ""));
    }

    /** The four address bytes of {@code ipv4}, big-endian. */
    static byte[] ipv4Bytes(int ipv4) {
        return new byte[] {(byte) (ipv4 >>> 24), (byte) (ipv4 >>> 16), (byte) (ipv4 >>> 8), (byte) ipv4};
    }
}
