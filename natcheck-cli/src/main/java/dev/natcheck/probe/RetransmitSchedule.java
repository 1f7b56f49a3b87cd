package dev.natcheck.probe;

import java.time.Duration;

/**
 * When to (re)send a STUN request: RFC 8489 section 6.2.1, an initial RTO doubled after every
 * transmission, at most {@code maxTransmissions} (Rc) sends, all inside the stage deadline.
 *
 * <p>The RFC's 500 ms initial RTO is kept for long budgets; a short {@code --timeout} scales it
 * down so that at least a few transmissions fit (a lost first packet should not cost the verdict).
 * The RFC's schedule spans 39.5 s; squeezed into a few seconds, plain doubling sends only four
 * requests, and on a path losing 30 % each way that made 13 runs in 100 in the lab's lossy
 * topology report BLOCKED. So the interval stops doubling at {@code maxInterval}, which
 * {@link #forBudget} sets so that all Rc sends fit the budget.
 */
public record RetransmitSchedule(Duration initialRto, int maxTransmissions, Duration maxInterval) {

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
        if (maxInterval.compareTo(initialRto) < 0) {
            throw new IllegalArgumentException("interval cap " + maxInterval + " below the initial RTO " + initialRto);
        }
    }

    /**
     * The schedule for a stage that has {@code budget} in all: RTO = min(500 ms, budget / 8), at
     * least 20 ms; the interval doubles up to budget / Rc, so the Rc sends spread over the budget.
     */
    public static RetransmitSchedule forBudget(Duration budget) {
        Duration scaled = budget.dividedBy(8);
        Duration rto = scaled.compareTo(RFC_INITIAL_RTO) < 0 ? scaled : RFC_INITIAL_RTO;
        rto = rto.compareTo(MIN_INITIAL_RTO) < 0 ? MIN_INITIAL_RTO : rto;
        Duration share = budget.dividedBy(RFC_MAX_TRANSMISSIONS);
        return new RetransmitSchedule(rto, RFC_MAX_TRANSMISSIONS, share.compareTo(rto) > 0 ? share : rto);
    }

    /**
     * Nanoseconds after the first transmission at which transmission {@code n} (0-based) goes
     * out: 0, RTO, 3 RTO, 7 RTO, ... while the interval is below {@link #maxInterval()}, then one
     * cap apart; -1 when {@code n} is past {@link #maxTransmissions()}.
     */
    public long sendOffsetNanos(int n) {
        if (n < 0 || n >= maxTransmissions) {
            return -1;
        }
        long cap = maxInterval.toNanos();
        long offset = 0;
        long interval = initialRto.toNanos();
        for (int i = 0; i < n; i++) {
            offset += interval; // never above the cap: the constructor keeps initialRto <= maxInterval
            interval = Math.min(interval * 2, cap);
        }
        return offset;
    }
}
