package dev.natcheck.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Property tests over random valid messages and random corruptions of them (seeded, so reproducible). */
class RoundTripTest {

    private static final int MESSAGES = 5_000;

    @Test
    void everyRandomMessageDecodesToItself() throws Exception {
        RandomMessages messages = new RandomMessages(20251122L);
        for (int i = 0; i < MESSAGES; i++) {
            StunMessage m = messages.next();

            byte[] wire = m.encode();

            assertThat(wire).as("encodedLength of %s", m).hasSize(m.encodedLength());
            assertThat(StunMessage.decode(wire)).as("message %d", i).isEqualTo(m);
        }
    }

    @Test
    void decodingThenEncodingGivesTheSameBytes() throws Exception {
        // Our encodings are canonical: zero padding, M-I kept, FINGERPRINT recomputed.
        RandomMessages messages = new RandomMessages(7L);
        MessageView view = new MessageView();
        for (int i = 0; i < MESSAGES; i++) {
            byte[] wire = messages.next().encode();
            view.decode(wire, 0, wire.length);

            assertThat(view.toMessage().encode()).as("message %d", i).isEqualTo(wire);
        }
    }

    @Test
    void encodingIntoAnOffsetOfALargerBufferMatches() throws Exception {
        RandomMessages messages = new RandomMessages(11L);
        for (int i = 0; i < 500; i++) {
            StunMessage m = messages.next();
            byte[] big = new byte[m.encodedLength() + 40];
            new Random(i).nextBytes(big); // stale bytes must not leak into padding

            int n = m.encode(big, 17);

            assertThat(java.util.Arrays.copyOfRange(big, 17, 17 + n)).isEqualTo(m.encode());
            assertThat(StunMessage.decode(big, 17, n)).isEqualTo(m);
        }
    }

    @Test
    void corruptedMessagesEitherFailCleanlyOrRoundTrip() {
        RandomMessages messages = new RandomMessages(99L);
        Random random = new Random(99L);
        MessageView view = new MessageView();
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] wire = messages.next().encode();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                wire[random.nextInt(wire.length)] ^= (byte) (1 << random.nextInt(8));
            }
            try {
                view.decode(wire, 0, wire.length);
            } catch (StunParseException e) {
                assertThat(e.getMessage()).contains(" at offset ");
                continue;
            } catch (RuntimeException e) {
                fail("decode must throw only StunParseException, threw " + e + " on message " + i);
            }
            accepted++;
            StunMessage decoded = view.toMessage();
            try {
                assertThat(StunMessage.decode(decoded.encode()))
                        .as("message %d", i)
                        .isEqualTo(decoded);
            } catch (StunParseException e) {
                fail("re-encoding of accepted message " + i + " does not decode: " + e.getMessage());
            }
        }
        // Flips inside values (addresses, text, raw bytes) keep messages valid: both paths ran.
        assertThat(accepted).isBetween(1000, 19_000);
    }
}
