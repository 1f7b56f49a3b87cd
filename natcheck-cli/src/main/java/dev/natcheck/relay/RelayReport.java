package dev.natcheck.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * One {@code natcheck relay} run: every relay's outcome in the order named, and which works
 * fastest.
 *
 * @param credentials how natcheck authenticated, for the report ("user alice", "none")
 * @param interrupted whether a signal cut the run short (the allocations were still released)
 */
public record RelayReport(
        List<RelayOutcome> outcomes, String credentials, boolean interrupted, Instant finishedAt, String version) {

    public RelayReport {
        outcomes = List.copyOf(outcomes);
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(version, "version");
    }

    /**
     * The index of the fastest working relay: the shortest round trip through the relay (a relay
     * without one comes after those with one); ties by the shorter allocation time, then the
     * order named. Empty when none works.
     */
    public OptionalInt fastest() {
        return fastest(outcomes);
    }

    static OptionalInt fastest(List<RelayOutcome> outcomes) {
        Duration unknown = Duration.ofSeconds(Long.MAX_VALUE);
        Comparator<Integer> order = Comparator.<Integer, Duration>comparing(
                        i -> outcomes.get(i).bestRtt().orElse(unknown))
                .thenComparing(i -> outcomes.get(i).allocation().orElse(unknown))
                .thenComparing(i -> i);
        Optional<Integer> best = IntStream.range(0, outcomes.size())
                .filter(i -> outcomes.get(i).result().works())
                .boxed()
                .min(order);
        return best.map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    /** How many relays work. */
    public long working() {
        return outcomes.stream().filter(o -> o.result().works()).count();
    }

    /** 0 when some relay works, 1 when none does (docs/cli.md, "natcheck relay"). */
    public int exitCode() {
        return working() > 0 ? 0 : 1;
    }
}
