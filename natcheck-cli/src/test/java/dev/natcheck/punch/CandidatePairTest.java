package dev.natcheck.punch;

import static dev.natcheck.punch.CandidatePair.Event.ANSWERED;
import static dev.natcheck.punch.CandidatePair.Event.GAVE_UP;
import static dev.natcheck.punch.CandidatePair.Event.SENT;
import static dev.natcheck.punch.CandidatePair.Event.TRIGGERED;
import static dev.natcheck.punch.CandidatePair.State.FAILED;
import static dev.natcheck.punch.CandidatePair.State.IN_PROGRESS;
import static dev.natcheck.punch.CandidatePair.State.SUCCEEDED;
import static dev.natcheck.punch.CandidatePair.State.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The pair state machine, one case per move, and the moves it refuses. */
class CandidatePairTest {

    @Test
    void aPairGoesFromWaitingThroughItsCheckToSucceeded() {
        assertThat(WAITING.next(SENT)).isEqualTo(IN_PROGRESS);
        assertThat(IN_PROGRESS.next(SENT)).isEqualTo(IN_PROGRESS);
        assertThat(IN_PROGRESS.next(ANSWERED)).isEqualTo(SUCCEEDED);
        assertThat(IN_PROGRESS.next(GAVE_UP)).isEqualTo(FAILED);
    }

    @Test
    void aFailedPairIsCheckedAgainWhenThePeersCheckArrivesOnIt() {
        assertThat(FAILED.next(TRIGGERED)).isEqualTo(IN_PROGRESS);
        assertThat(WAITING.next(TRIGGERED)).isEqualTo(IN_PROGRESS);
        assertThat(FAILED.next(ANSWERED)).isEqualTo(SUCCEEDED);
    }

    @Test
    void aSucceededPairStaysSucceededWhateverComes() {
        assertThat(SUCCEEDED.next(GAVE_UP)).isEqualTo(SUCCEEDED);
        assertThat(SUCCEEDED.next(TRIGGERED)).isEqualTo(SUCCEEDED);
        assertThat(SUCCEEDED.next(ANSWERED)).isEqualTo(SUCCEEDED);
    }

    @Test
    void anotherCheckSendingOnAFailedPairPutsItBackInProgress() {
        assertThat(FAILED.next(SENT)).isEqualTo(IN_PROGRESS);
        assertThat(SUCCEEDED.next(SENT)).isEqualTo(SUCCEEDED);
    }
}
