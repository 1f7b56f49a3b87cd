package dev.natcheck.relay;

/**
 * Where one relay's check stands ({@link RelayCheck}); {@link #next} is the only way on.
 *
 * <pre>
 * ALLOCATING    --ALLOCATED----------------------> CHECKING_PATH
 * ALLOCATING    --NOT_ALLOCATED------------------> FAILED
 * ALLOCATING    --TIME_UP (an Allocate was signed)-> RELEASING   (it may have been granted)
 * ALLOCATING    --TIME_UP (else)-----------------> FAILED
 * CHECKING_PATH --PATH_CHECKED | TIME_UP---------> RELEASING
 * CHECKING_PATH --PATH_HELD----------------------> HOLDING     (natcheck punch keeps it)
 * HOLDING       --RELEASE_ASKED | TIME_UP--------> RELEASING
 * RELEASING     --RELEASE_SETTLED | TIME_UP------> DONE
 * </pre>
 */
public enum RelayState {
    /** Allocate sent (and, after a 401, again with credentials); waiting for the relayed address. */
    ALLOCATING,
    /** Allocated: ChannelBind to the relayed address and echoes through the relay under way. */
    CHECKING_PATH,
    /** Allocated and the path through it checked; kept for a caller that relays through it (natcheck punch). */
    HOLDING,
    /** Refresh with lifetime 0 sent: the allocation is being released. */
    RELEASING,
    /** Checked and released (or the release went unanswered). */
    DONE,
    /** No allocation was made: nothing to release. */
    FAILED;

    /** What happens to a check. */
    public enum Event {
        ALLOCATED,
        NOT_ALLOCATED,
        PATH_CHECKED,
        /** The path is checked and the caller keeps the allocation. */
        PATH_HELD,
        /** The caller is done with a kept allocation. */
        RELEASE_ASKED,
        RELEASE_SETTLED,
        /** The deadline, or an interruption: what was running is cut short. */
        TIME_UP
    }

    /**
     * The state after {@code event}; {@code signedAllocate} says whether an Allocate went out with
     * credentials (so the server may have granted it unseen), which decides a TIME_UP while
     * allocating.
     *
     * @throws IllegalStateException for an event this state does not expect
     */
    public RelayState next(Event event, boolean signedAllocate) {
        return switch (this) {
            case ALLOCATING ->
                switch (event) {
                    case ALLOCATED -> CHECKING_PATH;
                    case NOT_ALLOCATED -> FAILED;
                    case TIME_UP -> signedAllocate ? RELEASING : FAILED;
                    default -> refuse(event);
                };
            case CHECKING_PATH ->
                switch (event) {
                    case PATH_CHECKED, TIME_UP -> RELEASING;
                    case PATH_HELD -> HOLDING;
                    default -> refuse(event);
                };
            case HOLDING ->
                switch (event) {
                    case RELEASE_ASKED, TIME_UP -> RELEASING;
                    default -> refuse(event);
                };
            case RELEASING ->
                switch (event) {
                    case RELEASE_SETTLED, TIME_UP -> DONE;
                    default -> refuse(event);
                };
            case DONE, FAILED -> refuse(event);
        };
    }

    /** Whether nothing more happens in this state. */
    public boolean terminal() {
        return this == DONE || this == FAILED;
    }

    private RelayState refuse(Event event) {
        throw new IllegalStateException(event + " in state " + this);
    }
}
