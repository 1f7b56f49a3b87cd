package dev.natcheck.punch;

import dev.natcheck.relay.RelayOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code natcheck punch} run, for the writers: which side, what each side's token said, the
 * prediction, and how the checks went.
 *
 * @param localToken the text this side printed
 * @param checksStarted when this side had both tokens: time 0 of the timeline
 * @param relays this side's TURN relays ({@code --turn}) as checked while gathering, released by now
 * @param relayed the round through the relays, when either token has a relayed candidate
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
        String version,
        List<RelayOutcome> relays,
        Optional<RelayedRound> relayed) {

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
        relays = List.copyOf(relays);
        Objects.requireNonNull(relayed, "relayed");
    }

    /** Whether the outcome is what the prediction expected: a path where one was predicted, none for relay. */
    public boolean asPredicted() {
        return prediction.path().expectsDirectPath() == outcome.found();
    }

    /** Exit status when a path was found only through a relay (docs/punch.md). */
    public static final int EXIT_RELAYED_ONLY = 4;

    /** 0 when a direct path was found; 4 when none was but one through a relay was; 1 when neither. */
    public int exitCode() {
        if (outcome.found()) {
            return 0;
        }
        return relayed.map(r -> r.outcome().found()).orElse(false) ? EXIT_RELAYED_ONLY : 1;
    }
}
