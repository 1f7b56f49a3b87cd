package dev.natcheck.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written UTF-8 writer and validator agree with the JDK's strict codec. */
class Utf8Test {

    @Test
    void validatorAgreesWithTheJdkOnRandomBytes() {
        Random random = new Random(5);
        for (int i = 0; i < 100_000; i++) {
            byte[] b = new byte[random.nextInt(8)];
            for (int k = 0; k < b.length; k++) {
                // Bias towards lead and continuation bytes, where the rules are.
                b[k] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(256));
            }
            assertThat(Utf8.invalidAt(b, 0, b.length) < 0)
                    .as("%s", java.util.HexFormat.of().formatHex(b))
                    .isEqualTo(jdkAccepts(b));
        }
    }

    @Test
    void writerMatchesStringGetBytes() {
        Random random = new Random(6);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            for (int k = random.nextInt(10); k > 0; k--) {
                s.append((char) random.nextInt(0x10000)); // lone surrogates included
            }
            byte[] expected = s.toString().getBytes(StandardCharsets.UTF_8);
            byte[] actual = new byte[Utf8.length(s)];

            int n = Utf8.write(s, actual, 0);

            assertThat(n).isEqualTo(expected.length);
            assertThat(actual).isEqualTo(expected);
        }
    }

    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
