package dev.natcheck.stunserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bare-request allowance: who gets it, for how long, how much. Clock passed in, no sleeping. */
class ProvenSourcesTest {

    private static final long T0 = 1_000_000_000L;
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final ProvenSources proven = new ProvenSources();

    private static byte[] ip(String literal) {
        return InetAddress.ofLiteral(literal).getAddress();
    }

    private void prove(String literal, long now) {
        byte[] a = ip(literal);
        proven.prove(a, a.length, now);
    }

    private boolean tryAnswer(String literal, long now) {
        byte[] a = ip(literal);
        return proven.tryAnswer(a, a.length, now);
    }

    @Test
    void anAddressThatNeverFetchedThePageGetsNothing() {
        prove("198.51.100.2", T0);

        assertThat(tryAnswer("198.51.100.3", T0)).isFalse();
        assertThat(tryAnswer("2001:db8::2", T0)).isFalse();
    }

    @Test
    void aProvenAddressIsAnsweredUntilTheWindowCloses() {
        prove("198.51.100.2", T0);

        assertThat(tryAnswer("198.51.100.2", T0 + SECOND)).isTrue();
        assertThat(tryAnswer("198.51.100.2", T0 + ProvenSources.WINDOW.toNanos()))
                .isTrue();
        assertThat(tryAnswer("198.51.100.2", T0 + ProvenSources.WINDOW.toNanos() + 1))
                .isFalse();
    }

    @Test
    void oneFetchBuysABoundedNumberOfAnswersAndAnotherFetchRenewsThem() {
        prove("198.51.100.2", T0);
        for (int i = 0; i < ProvenSources.ANSWERS; i++) {
            assertThat(tryAnswer("198.51.100.2", T0)).as("answer %d", i).isTrue();
        }
        assertThat(tryAnswer("198.51.100.2", T0)).isFalse();

        prove("198.51.100.2", T0 + SECOND);

        assertThat(tryAnswer("198.51.100.2", T0 + SECOND)).isTrue();
    }

    @Test
    void ipv6IsProvenPerSlash64() {
        prove("2001:db8:1:2::10", T0);

        assertThat(tryAnswer("2001:db8:1:2:aaaa::1", T0)).isTrue();
        assertThat(tryAnswer("2001:db8:1:3::10", T0)).isFalse();
    }

    @Test
    void aFloodOfOtherProofsNeverGrowsTheTableAndOnlyEvictsTheOldest() {
        prove("198.51.100.2", T0);
        // More proofs than the table has slots: each set keeps its four newest.
        for (int i = 0; i < 20_000; i++) {
            byte[] a = {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
            proven.prove(a, 4, T0 + SECOND + i);
        }
        byte[] last = {10, 0, (byte) (19_999 >> 8), (byte) 19_999};

        assertThat(proven.tryAnswer(last, 4, T0 + 2 * SECOND)).isTrue();
        assertThat(tryAnswer("198.51.100.2", T0 + 2 * SECOND)).isFalse();
    }
}
