package dev.natcheck.output;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the Prometheus output says about earlier runs: when a run last succeeded and how many have
 * failed since. A run succeeds when some probe learned its outside address (exit status 0); a run
 * that found nothing, or that broke, fails.
 *
 * <p>A one-shot run (a systemd timer, cron) has no memory of its own, so it continues the history
 * written in the previous textfile: {@link #read} takes the two values back from there. {@code
 * --every} reads the file once at start, so a restart does not reset the count either.
 *
 * @param lastSuccess when the last successful run finished; empty when none has yet
 * @param consecutiveFailures runs failed since then (or ever, when none succeeded)
 */
public record RunHistory(Optional<Instant> lastSuccess, int consecutiveFailures) {

    /** No run before this one. */
    public static final RunHistory NONE = new RunHistory(Optional.empty(), 0);

    /** The metric names the history is written as, and read back from. */
    static final String LAST_SUCCESS = "natcheck_last_success_timestamp_seconds";

    static final String CONSECUTIVE_FAILURES = "natcheck_consecutive_failures";

    /** More than any textfile natcheck writes: a larger file is not one of ours. */
    private static final int MAX_BYTES = 1 << 20;

    public RunHistory {
        Objects.requireNonNull(lastSuccess, "lastSuccess");
        if (consecutiveFailures < 0) {
            throw new IllegalArgumentException("consecutiveFailures < 0: " + consecutiveFailures);
        }
    }

    /** The history once {@code report}'s run is counted: a success if some probe learned its outside address. */
    public RunHistory after(Report report) {
        return report.exitCode() == 0
                ? new RunHistory(Optional.of(report.finishedAt()), 0)
                : new RunHistory(lastSuccess, saturatedIncrement(consecutiveFailures));
    }

    private static int saturatedIncrement(int count) {
        return count == Integer.MAX_VALUE ? count : count + 1;
    }

    /**
     * The history a previous natcheck textfile records; {@link #NONE} when there is no such file,
     * it cannot be read, or it holds neither value. A value that does not parse is taken as
     * missing, never guessed: this only ever continues a count, and a fresh start is the honest
     * fallback.
     */
    public static RunHistory read(Path textfile) {
        if (!Files.isRegularFile(textfile, LinkOption.NOFOLLOW_LINKS)) {
            return NONE;
        }
        String text;
        try (InputStream in = Files.newInputStream(textfile)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                return NONE;
            }
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return NONE;
        }
        return parse(text);
    }

    /** The history in a textfile's contents (see {@link #read}). */
    static RunHistory parse(String textfile) {
        Optional<Instant> lastSuccess = Optional.empty();
        OptionalInt failures = OptionalInt.empty();
        for (String line : textfile.lines().toList()) {
            String[] sample = line.strip().split(" ");
            if (sample.length != 2) {
                continue;
            }
            try {
                if (sample[0].equals(LAST_SUCCESS)) {
                    lastSuccess = instant(sample[1]);
                } else if (sample[0].equals(CONSECUTIVE_FAILURES)) {
                    int count = Integer.parseInt(sample[1]);
                    failures = count >= 0 ? OptionalInt.of(count) : OptionalInt.empty();
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // not a value natcheck wrote: left out
            }
        }
        return new RunHistory(lastSuccess, failures.orElse(0));
    }

    /** Unix seconds with a fraction, as the textfile has them, to an instant (millisecond precision). */
    private static Optional<Instant> instant(String seconds) {
        double value = Double.parseDouble(seconds);
        if (!Double.isFinite(value) || value <= 0) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochMilli(Math.round(value * 1000)));
    }
}
