package dev.natcheck.punch;

import java.time.Instant;
import java.util.Objects;

/**
 * One {@code natcheck punch} run, for the writers: which side, what each side's token said, the
 * prediction, and how the checks went.
 *
 * @param localToken the text this side printed
 * @param checksStarted when this side had both tokens: time 0 of the timeline
 */
public record PunchReport(
        Token.Kind side,
        Token local,
        String localToken,
        Gatherer.Gathered gathered,
        Token peer,
        Prediction prediction,
        PunchOutcome outcome,
        Instant checksStarted,
        Instant finishedAt,
        String version) {

    public PunchReport {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(localToken, "localToken");
        Objects.requireNonNull(gathered, "gathered");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(checksStarted, "checksStarted");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(version, "version");
    }

    /** Whether the outcome is what the prediction expected: a path where one was predicted, none for relay. */
    public boolean asPredicted() {
        return prediction.path().expectsDirectPath() == outcome.found();
    }

    /** 0 when a direct path was found, 1 when none was. */
    public int exitCode() {
        return outcome.found() ? 0 : 1;
    }
}
