package dev.natcheck.punch;

import dev.natcheck.address.AddressText;
import dev.natcheck.transaction.Endpoint;
import java.util.Objects;

/**
 * A local socket and a remote candidate: what one connectivity check tests (RFC 8445 section
 * 6.1.2). Its state moves only forward, except that a failed pair may be checked again when
 * the peer's own check arrives on it (a triggered check, section 7.3.1.4).
 *
 * <pre>
 * WAITING --a send--> IN_PROGRESS --answered--> SUCCEEDED
 *                     IN_PROGRESS --silent to the end / refused--> FAILED
 *                     FAILED --the peer's check arrives, or another check on it sends--> IN_PROGRESS
 * SUCCEEDED stays SUCCEEDED (nomination and round-trip checks are sent on it)
 * </pre>
 */
final class CandidatePair {

    /** The pair states of RFC 8445 section 6.1.2.6, without Frozen (natcheck checks every pair at once). */
    enum State {
        WAITING,
        IN_PROGRESS,
        SUCCEEDED,
        FAILED;

        /** The state after {@code event}. */
        State next(Event event) {
            if (this == SUCCEEDED) {
                return SUCCEEDED;
            }
            return switch (event) {
                case SENT, TRIGGERED -> IN_PROGRESS;
                case ANSWERED -> SUCCEEDED;
                case GAVE_UP -> FAILED;
            };
        }
    }

    /** What happens to a pair. */
    enum Event {
        /** A check went out on it. */
        SENT,
        /** A check on it was answered (both ways work). */
        ANSWERED,
        /** A check on it ended unanswered or refused. */
        GAVE_UP,
        /** The peer's check arrived on it: check it again now. */
        TRIGGERED
    }

    final Endpoint local;
    final Candidate remote;
    State state = State.WAITING;
    /** Whether the peer nominated this pair (USE-CANDIDATE in its check). */
    boolean nominatedByPeer;
    /** When the last triggered check on it was submitted, or -1 before the first. */
    long triggeredAt = -1;

    CandidatePair(Endpoint local, Candidate remote) {
        this.local = Objects.requireNonNull(local, "local");
        this.remote = Objects.requireNonNull(remote, "remote");
    }

    void on(Event event) {
        state = state.next(event);
    }

    @Override
    public String toString() {
        return AddressText.format(local.local()) + " -> " + remote;
    }
}
