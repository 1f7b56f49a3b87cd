package dev.natcheck.probe;

import java.time.Duration;

/**
 * When to (re)send a STUN request: RFC 8489 section 6.2.1, an initial RTO doubled after every
 * transmission, at most {@code maxTransmissions} (Rc) sends, all inside the stage deadline.
 *
 * <p>The RFC's 500 ms initial RTO is kept for long budgets; a short {@code --timeout} scales it
 * down so that at least a few transmissions fit (a lost first packet should not cost the verdict).
 */
public record RetransmitSchedule(Duration initialRto, int maxTransmissions) {

    /** Rc of RFC 8489. */
    public static final int RFC_MAX_TRANSMISSIONS = 7;
    private static final Duration RFC_INITIAL_RTO = Duration.ofMillis(500);
    private static final Duration MIN_INITIAL_RTO = Duration.ofMillis(20);

    public RetransmitSchedule {
        if (initialRto.isNegative() || initialRto.isZero()) {
            throw new IllegalArgumentException("initial RTO must be positive: " + initialRto);
        }
        if (maxTransmissions < 1) {
            throw new IllegalArgumentException("at least one transmission: " + maxTransmissions);
        }
    }

    /** The schedule for a stage that has {@code budget} in all: RTO = min(500 ms, budget / 8), at least 20 ms. */
    public static RetransmitSchedule forBudget(Duration budget) {
        Duration scaled = budget.dividedBy(8);
        Duration rto = scaled.compareTo(RFC_INITIAL_RTO) < 0 ? scaled : RFC_INITIAL_RTO;
        return new RetransmitSchedule(rto.compareTo(MIN_INITIAL_RTO) < 0 ? MIN_INITIAL_RTO : rto,
                RFC_MAX_TRANSMISSIONS);
    }

    /**
     * Nanoseconds after the first transmission at which transmission {@code n} (0-based) goes
     * out: 0, RTO, 3 RTO, 7 RTO, ... ; -1 when {@code n} is past {@link #maxTransmissions()}.
     */
    public long sendOffsetNanos(int n) {
        if (n < 0 || n >= maxTransmissions) {
            return -1;
        }
        return initialRto.toNanos() * ((1L << n) - 1);
    }
}
