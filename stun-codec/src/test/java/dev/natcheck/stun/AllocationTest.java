package dev.natcheck.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The server path (decode a Binding request, encode the success or 420 answer) allocates nothing
 * on the heap after warm-up. An allocation assertion, not a timing one.
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
