package dev.natcheck.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 5780 section 5 pacing, on explicit clock values (no waiting). */
class PacerTest {

    private static final long MS = 1_000_000L;

    @Test
    void startsAreAtLeastTheGapApart() {
        Pacer pacer = new Pacer();
        long t0 = 1_000 * MS;

        assertThat(pacer.reserve(t0)).isEqualTo(t0);
        assertThat(pacer.reserve(t0)).isEqualTo(t0 + 20 * MS);
        assertThat(pacer.reserve(t0 + 5 * MS)).isEqualTo(t0 + 40 * MS);
        // A request long after the last one starts at once.
        assertThat(pacer.reserve(t0 + 500 * MS)).isEqualTo(t0 + 500 * MS);
    }

    @Test
    void neverMoreThanTenStartsInAnySecond() {
        Pacer pacer = new Pacer();
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < 35; i++) {
            starts.add(pacer.reserve(0));
        }
        for (int i = 10; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 10))
                    .as("start %d against start %d", i, i - 10)
                    .isGreaterThanOrEqualTo(1_000 * MS);
        }
        // The eleventh waits for the window, not merely for the gap.
        assertThat(starts.get(10)).isEqualTo(1_000 * MS);
        assertThat(starts.get(9)).isEqualTo(180 * MS);
    }

    @Test
    void aLaterCallerNeverGetsAnEarlierSlot() {
        Pacer pacer = new Pacer(Duration.ofMillis(20), 3, Duration.ofMillis(100));
        long previous = Long.MIN_VALUE;
        for (long earliest : new long[] {50, 0, 10, 300, 0, 290, 0}) {
            long slot = pacer.reserve(earliest * MS);
            assertThat(slot).isGreaterThanOrEqualTo(earliest * MS).isGreaterThan(previous);
            previous = slot;
        }
    }

    @Test
    void requestsThatCreateNoBindingSkipTheGapButNotTheWindow() {
        Pacer pacer = new Pacer();
        long t0 = 1_000 * MS;

        assertThat(pacer.reserve(t0, true)).isEqualTo(t0);
        // Two more requests on the same socket to the same server: at once.
        assertThat(pacer.reserve(t0, false)).isEqualTo(t0);
        assertThat(pacer.reserve(t0 + MS, false)).isEqualTo(t0 + MS);
        // The next new binding still keeps 20 ms from the last one.
        assertThat(pacer.reserve(t0 + MS, true)).isEqualTo(t0 + 20 * MS);
        // Never earlier than a slot already handed out.
        assertThat(pacer.reserve(t0, false)).isEqualTo(t0 + 20 * MS);
        for (int i = 0; i < 5; i++) {
            pacer.reserve(t0, false);
        }
        // Ten starts in this second so far: the eleventh waits for the window.
        assertThat(pacer.reserve(t0, false)).isEqualTo(t0 + 1_000 * MS);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Pacer(Duration.ofMillis(-1), 10, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pacer(Duration.ofMillis(20), 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
