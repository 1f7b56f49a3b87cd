package dev.natcheck.relay;

/** What became of an allocation when natcheck was done with it. */
public enum Release {
    /** Refresh with lifetime 0 succeeded: the relay freed it. */
    RELEASED,
    /** The relay said there is no allocation (437): nothing left to free. */
    GONE,
    /** The Refresh went unanswered or was refused: the relay frees it when its lifetime ends. */
    UNCONFIRMED,
    /** Nothing was allocated. */
    NOTHING_ALLOCATED
}
