package dev.natcheck.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** MESSAGE-INTEGRITY computed by the encoder, the attributes it seals, and ByteBuffer decoding. */
class MessageIntegrityTest {

    private static final byte[] KEY = MessageIntegrity.shortTermKey("VOkJxbRl1RmTxUk/WvJxBt");

    private final MessageEncoder encoder = new MessageEncoder();
    private final MessageView view = new MessageView();

    @Test
    void integrityComputedByTheEncoderVerifiesWithAndWithoutFingerprint() throws Exception {
        for (boolean fingerprint : new boolean[] {false, true}) {
            byte[] b = new byte[256];
            int n = encoder.begin(b, 0, MessageClass.REQUEST, Method.BINDING, TransactionId.random())
                    .addUsername("evtj:h6vY")
                    .addSoftware("natcheck")
                    .addMessageIntegrity(KEY)
                    .finish(fingerprint);

            view.decode(b, 0, n);

            assertThat(view.hasFingerprint()).isEqualTo(fingerprint);
            assertThat(view.verifyMessageIntegrity(KEY)).isTrue();
            assertThat(view.verifyMessageIntegrity(MessageIntegrity.shortTermKey("wrong")))
                    .isFalse();
        }
    }

    @Test
    void tamperingWithACoveredByteBreaksIntegrity() throws Exception {
        byte[] b = new byte[256];
        int n = encoder.begin(b, 0, MessageClass.REQUEST, Method.BINDING, TransactionId.random())
                .addSoftware("natcheck")
                .addMessageIntegrity(KEY)
                .finish(false);
        b[25] ^= 0x20; // 'n' -> 'N' in SOFTWARE

        view.decode(b, 0, n);

        assertThat(view.verifyMessageIntegrity(KEY)).isFalse();
    }

    @Test
    void messageWithoutIntegrityDoesNotVerify() throws Exception {
        byte[] b = new byte[64];
        int n = encoder.begin(b, 0, MessageClass.REQUEST, Method.BINDING, TransactionId.random())
                .finish(true);
        view.decode(b, 0, n);

        assertThat(view.hasMessageIntegrity()).isFalse();
        assertThat(view.verifyMessageIntegrity(KEY)).isFalse();
    }

    @Test
    void attributesAfterIntegrityAreIgnoredOnRead() throws Exception {
        // Built by hand: the encoder refuses to write such a message.
        byte[] b = new byte[256];
        int n = encoder.begin(b, 0, MessageClass.SUCCESS_RESPONSE, Method.BINDING, TransactionId.random())
                .addSoftware("before")
                .addRaw(AttributeType.MESSAGE_INTEGRITY, new byte[20], 0, 20)
                .addRaw(AttributeType.SOFTWARE, "after".getBytes(), 0, 5)
                .addRaw(0x7F01, new byte[4], 0, 4)
                .finish(true);

        view.decode(b, 0, n);

        assertThat(view.attributeCount()).isEqualTo(3);
        assertThat(view.attributeType(2)).isEqualTo(AttributeType.FINGERPRINT);
        assertThat(view.software()).contains(new Software("before"));
        assertThat(view.unknownComprehensionRequiredCount()).isZero();
    }

    @Test
    void encoderRefusesAttributesAfterIntegrityExceptFingerprint() {
        byte[] b = new byte[256];
        encoder.begin(b, 0, MessageClass.REQUEST, Method.BINDING, TransactionId.random())
                .addMessageIntegrity(KEY);

        assertThatThrownBy(() -> encoder.addSoftware("late"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SOFTWARE after MESSAGE-INTEGRITY");
        assertThat(encoder.finish(true)).isEqualTo(20 + 24 + 8);
    }

    @Test
    void encoderRefusesABufferTooSmall() {
        byte[] b = new byte[28];
        encoder.begin(b, 0, MessageClass.REQUEST, Method.BINDING, TransactionId.random());

        assertThatThrownBy(() -> encoder.addXorMappedAddress(0x7F000001, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("buffer of 28 bytes has no room for 12 bytes at offset 20");
    }

    @Test
    void decodesHeapAndDirectByteBuffersWithoutMovingTheirPosition() throws Exception {
        TransactionId id = TransactionId.random();
        byte[] wire = StunMessage.of(MessageClass.REQUEST, Method.BINDING, id, new Software("x"), Fingerprint.INSTANCE)
                .encode();
        ByteBuffer heap = ByteBuffer.allocate(wire.length + 10).position(10);
        heap.put(wire).flip().position(10);
        ByteBuffer direct = ByteBuffer.allocateDirect(wire.length).put(wire).flip();

        for (ByteBuffer buffer : new ByteBuffer[] {heap.slice(), heap, direct}) {
            int position = buffer.position();
            view.decode(buffer);

            assertThat(buffer.position()).isEqualTo(position);
            assertThat(view.transactionIdMatches(id)).isTrue();
            assertThat(view.software()).contains(new Software("x"));
        }
    }
}
