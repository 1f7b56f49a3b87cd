package dev.natcheck.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The server path (decode a Binding request, encode the success or 420 answer) and a TURN
 * client's per-packet path (decode an Allocate success, Data indications and ChannelData, encode
 * Send indications, ChannelData and the long-term credential attributes) allocate nothing on the
 * heap after warm-up. An allocation assertion, not a timing one.
 */
class AllocationTest {

    private static final int WARM_UP = 50_000;
    private static final int MEASURED = 10_000;
    private static final int ROUNDS = 5;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final MessageView request = new MessageView();
    private final MessageEncoder encoder = new MessageEncoder();
    private final byte[] out = new byte[1500];
    private final byte[] clientV6 = new byte[16];
    private long sink;

    @Test
    void bindingRequestToSuccessAllocatesNothing() throws Exception {
        byte[] in = new byte[1500];
        int n = new MessageEncoder()
                .begin(in, 0, MessageClass.REQUEST, Method.BINDING, TransactionId.random())
                .addChangeRequest(0)
                .addResponsePort(40001)
                .addPadding(96)
                .addSoftware("natcheck probe")
                .finish(true);
        clientV6[0] = 0x20;
        clientV6[1] = 0x01;
        clientV6[15] = 7;

        assertThat(allocatedBy(() -> serve(in, n))).isZero();
        assertThat(sink).isNotZero();
    }

    @Test
    void requestWithUnknownAttributeTo420AllocatesNothing() throws Exception {
        byte[] in = new byte[1500];
        int n = new MessageEncoder()
                .begin(in, 0, MessageClass.REQUEST, Method.BINDING, TransactionId.random())
                .addRaw(0x7F01, new byte[4], 0, 4)
                .finish(true);

        assertThat(allocatedBy(() -> serve(in, n))).isZero();
        assertThat(sink).isNotZero();
    }

    // ---- a TURN client's hot path (RFC 8656): what it decodes and encodes per packet ----

    private final ChannelDataView channelData = new ChannelDataView();
    private final byte[] address = new byte[16];
    private final byte[] payload = new byte[160];

    @Test
    void decodingAnAllocateSuccessAllocatesNothing() throws Exception {
        byte[] key = MessageIntegrity.longTermKey("user", "realm", "password");
        byte[] in = new byte[1500];
        int n = new MessageEncoder()
                .begin(in, 0, MessageClass.SUCCESS_RESPONSE, Method.ALLOCATE, TransactionId.random())
                .addXorRelayedAddress(0xC000020F, 50000)
                .addXorMappedAddress(0xC6336407, 40000)
                .addLifetime(600)
                .addSoftware("Coturn-4.6.1 'Gorst'")
                .addMessageIntegrity(key)
                .finish(true);

        assertThat(allocatedBy(() -> {
                    request.decode(in, 0, n);
                    int relayed = request.indexOf(AttributeType.XOR_RELAYED_ADDRESS);
                    int mapped = request.indexOf(AttributeType.XOR_MAPPED_ADDRESS);
                    sink += request.copyAddress(relayed, address, 0)
                            + request.addressPort(relayed)
                            + request.copyAddress(mapped, address, 4)
                            + request.addressPort(mapped)
                            + request.lifetimeSeconds()
                            + request.errorCodeValue()
                            + (request.hasMessageIntegrity() ? 1 : 0);
                }))
                .isZero();
        assertThat(sink).isNotZero();
    }

    @Test
    void aDataIndicationAndASendIndicationAllocateNothing() throws Exception {
        byte[] in = new byte[1500];
        int n = new MessageEncoder()
                .begin(in, 0, MessageClass.INDICATION, Method.DATA, TransactionId.random())
                .addXorPeerAddress(0xC000020F, 50000)
                .addData(payload, 0, 100)
                .finish(true);
        byte[] id = new byte[12];

        assertThat(allocatedBy(() -> {
                    request.decode(in, 0, n);
                    int peer = request.indexOf(AttributeType.XOR_PEER_ADDRESS);
                    int data = request.indexOf(AttributeType.DATA);
                    request.copyAddress(peer, address, 0);
                    System.arraycopy(in, request.attributeValueOffset(data), payload, 0, request.attributeLength(data));
                    sink += encoder.begin(out, 0, MessageClass.INDICATION, Method.SEND, id, 0)
                            .addXorPeerAddress(address, 0, 4, request.addressPort(peer))
                            .addData(payload, 0, request.attributeLength(data))
                            .addDontFragment()
                            .finish(true);
                }))
                .isZero();
        assertThat(sink).isNotZero();
    }

    @Test
    void channelDataBothWaysAllocatesNothing() throws Exception {
        byte[] in = new byte[1500];
        int n = ChannelData.encode(in, 0, 0x4000, payload, 0, 101, Framing.DATAGRAM);

        assertThat(allocatedBy(() -> {
                    channelData.decode(in, 0, n, Framing.DATAGRAM);
                    int length = channelData.copyData(out, ChannelData.HEADER_SIZE);
                    sink += ChannelData.writeHeader(out, 0, channelData.channelNumber(), length, Framing.STREAM)
                            + (PacketKind.of(in, 0, n) == PacketKind.CHANNEL_DATA ? 1 : 0)
                            + Framing.STREAM.frameLength(out, 0, out.length);
                }))
                .isZero();
        assertThat(sink).isNotZero();
    }

    @Test
    void writingLongTermCredentialsAllocatesNothing() throws Exception {
        LongTermCredentials credentials = LongTermCredentials.answer(
                new Challenge(
                        ErrorCode.UNAUTHENTICATED,
                        "example.org",
                        new SecurityFeatures(SecurityFeatures.PASSWORD_ALGORITHMS).cookie() + "f//499k954d6OL34",
                        java.util.Optional.of(PasswordAlgorithms.of(PasswordAlgorithm.SHA_256, PasswordAlgorithm.MD5))),
                "user",
                "password");
        byte[] id = new byte[12];

        assertThat(allocatedBy(() -> sink += encoder.begin(out, 0, MessageClass.REQUEST, Method.REFRESH, id, 0)
                        .addLifetime(0)
                        .addCredentials(credentials)
                        .finish(false)))
                .isZero();
        assertThat(sink).isNotZero();
    }

    private void serve(byte[] in, int n) throws StunParseException {
        request.decode(in, 0, n);
        if (!request.isBindingRequest()) {
            throw new AssertionError("not a Binding request");
        }
        int len;
        if (request.unknownComprehensionRequiredCount() > 0) {
            len = encoder.beginResponse(out, 0, MessageClass.ERROR_RESPONSE, request)
                    .addErrorCode(ErrorCode.UNKNOWN_ATTRIBUTE, "Unknown Attribute")
                    .addUnknownAttributes(request)
                    .finish(true);
        } else {
            int port = request.responsePort() >= 0 ? request.responsePort() : 40000;
            len = encoder.beginResponse(out, 0, MessageClass.SUCCESS_RESPONSE, request)
                    .addXorMappedAddress(0xC6336407, port)
                    .addXorMappedAddress(clientV6, 0, 16, port)
                    .addMappedAddress(0xC6336407, port)
                    .addResponseOrigin(0xCB007101, 3478)
                    .addOtherAddress(0xCB007102, 3479 + request.changeRequestFlags())
                    .addSoftware("natcheck")
                    .finish(true);
        }
        sink += len + (request.hasPadding() ? 1 : 0) + (request.hasFingerprint() ? 1 : 0);
    }

    interface Body {
        void run() throws Exception;
    }

    /**
     * Bytes allocated by the quietest of up to {@value #ROUNDS} measured rounds after warm-up. A
     * one-off inside the JDK (a deoptimisation or a late compilation landing mid-round, seen as
     * 232 bytes on a loaded machine) can touch one round; an allocation per call (16 bytes at
     * least, so 160 000 a round) shows in every round and fails the test.
     */
    private long allocatedBy(Body body) throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            body.run();
        }
        long least = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS && least > 0; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < MEASURED; i++) {
                body.run();
            }
            long after = threads.getCurrentThreadAllocatedBytes();
            // The measurement itself may allocate; subtract what two bare calls cost.
            long bare = threads.getCurrentThreadAllocatedBytes();
            long overhead = threads.getCurrentThreadAllocatedBytes() - bare;
            least = Math.min(least, after - before - overhead);
        }
        return least;
    }
}
