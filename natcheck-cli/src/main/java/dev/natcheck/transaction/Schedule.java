package dev.natcheck.transaction;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When one transaction (re)sends and when it gives up, after RFC 8489 section 6.2.1: send
 * {@code n} goes out at the sum of the first {@code n} intervals, the first being {@code first},
 * each next one doubled but never above {@code cap}; {@code grace} after the last of
 * {@code transmissions} sends the transaction counts as unanswered.
 *
 * <p>The cap is what survives loss: squeezed into a few seconds, the RFC's plain doubling (its
 * schedule spans 39.5 s) sends only four requests, and with 30 % loss each way 13 runs in 100 of
 * the lab's lossy topology reported BLOCKED. Shapes: {@link #forBudget} for the probe's share of
 * {@code --timeout}; {@link #control()} for a behaviour test before the round trip is known;
 * {@link #afterRtt} after, ten sends in max(4 x RTT, 200 ms), so a lost datagram costs one
 * interval, not the verdict (30 % loss each way fails one exchange with p = 0.51, ten with
 * p = 0.0012); {@link #fromRtt} for a TURN client's requests once the server's round trip is
 * known; {@link #reliable} over TCP and {@link #once} for a measurement that must not be
 * ambiguous, one send and a wait.
 */
public record Schedule(Duration first, Duration cap, int transmissions, Duration grace) {

    /** Rc of RFC 8489. */
    public static final int RFC_MAX_TRANSMISSIONS = 7;
    /** Floor of the post-RTT window: covers scheduling jitter on a busy host. */
    public static final Duration MIN_WINDOW = Duration.ofMillis(200);
    /** Sends per post-RTT window. */
    public static final int WINDOW_TRANSMISSIONS = 10;
    /** Shortest interval between two sends of one transaction. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(20);
    /** Shortest first RTO of {@link #fromRtt}: loopback and LAN round trips are far below scheduling jitter. */
    public static final Duration MIN_RTO = Duration.ofMillis(50);

    private static final Duration RFC_INITIAL_RTO = Duration.ofMillis(500);
    private static final Duration CONTROL_FIRST = Duration.ofMillis(100);
    private static final Duration CONTROL_CAP = Duration.ofMillis(400);
    private static final int CONTROL_TRANSMISSIONS = 25;
    private static final double MAX_DRIFT = 0.05;

    public Schedule {
        if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("first interval " + first + " must be positive and at most cap " + cap);
        }
        if (transmissions < 1) {
            throw new IllegalArgumentException("at least one transmission: " + transmissions);
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("negative grace " + grace);
        }
    }

    /** RTO min(500 ms, budget / 8), at least 20 ms, doubling up to budget / Rc; the grace lasts to the budget's end. */
    public static Schedule forBudget(Duration budget) {
        Duration rto = max(min(budget.dividedBy(8), RFC_INITIAL_RTO), MIN_INTERVAL);
        Duration cap = max(budget.dividedBy(RFC_MAX_TRANSMISSIONS), rto);
        long lastSend = offsetNanos(rto, cap, RFC_MAX_TRANSMISSIONS - 1);
        Duration grace = Duration.ofNanos(Math.max(0, budget.toNanos() - lastSend));
        return new Schedule(rto, cap, RFC_MAX_TRANSMISSIONS, grace);
    }

    /** 100 ms, doubling to at most 400 ms, up to 25 sends (about ten seconds), in practice cut by the deadline. */
    public static Schedule control() {
        return new Schedule(CONTROL_FIRST, CONTROL_CAP, CONTROL_TRANSMISSIONS, CONTROL_CAP);
    }

    /** Window W = max(4 x RTT, 200 ms), ten sends R = max(W / 10, 20 ms) apart, then max(2 x RTT, R) of grace. */
    public static Schedule afterRtt(Duration rtt) {
        Duration window = max(rtt.multipliedBy(4), MIN_WINDOW);
        Duration interval = max(window.dividedBy(WINDOW_TRANSMISSIONS), MIN_INTERVAL);
        return new Schedule(interval, interval, WINDOW_TRANSMISSIONS, max(rtt.multipliedBy(2), interval));
    }

    /**
     * Once one round trip {@code rtt} to the server is measured: RFC 8489 section 6.2.1's doubling
     * with RFC 6298's first RTO from one sample, 3 x RTT (at least 50 ms), capped at 8 x that,
     * Rc = 7 sends, so no retransmission is due before the answer could be back.
     */
    public static Schedule fromRtt(Duration rtt) {
        Duration rto = max(rtt.multipliedBy(3), MIN_RTO);
        return new Schedule(rto, rto.multipliedBy(8), RFC_MAX_TRANSMISSIONS, rto.multipliedBy(8));
    }

    /**
     * Over a reliable transport (TCP): one send, then the answer awaited for {@code budget} (RFC
     * 8489 section 6.2.2: no retransmission, a timeout Ti of 39.5 s, here the time there is).
     */
    public static Schedule reliable(Duration budget) {
        return once(budget);
    }

    /**
     * One send, then {@code wait} for the answer (at least 20 ms): a measurement that must not be
     * ambiguous, since an answer to a retransmission cannot be told from one to the first send
     * (Karn); the caller sends another request instead of retransmitting this one.
     */
    public static Schedule once(Duration wait) {
        Duration atLeast = max(wait, MIN_INTERVAL);
        return new Schedule(atLeast, atLeast, 1, atLeast);
    }

    /** Cut to the sends whose grace still ends within {@code budget}; at least one send. */
    public Schedule within(Duration budget) {
        int n = transmissions;
        while (n > 1 && new Schedule(first, cap, n, grace).giveUpOffsetNanos() > budget.toNanos()) {
            n--;
        }
        return new Schedule(first, cap, n, grace);
    }

    /** Nanoseconds after the first send at which send {@code n} (0-based) is due; -1 past the last. */
    public long sendOffsetNanos(int n) {
        if (n < 0 || n >= transmissions) {
            return -1;
        }
        return offsetNanos(first, cap, n);
    }

    /** Nanoseconds after the first send at which a transaction with no answer is unanswered. */
    public long giveUpOffsetNanos() {
        return sendOffsetNanos(transmissions - 1) + grace.toNanos();
    }

    /** The same shape with every interval and the grace stretched by {@code factor} (at least 1). */
    public Schedule stretched(double factor) {
        if (!(factor >= 1)) {
            throw new IllegalArgumentException("stretch factor must be at least 1: " + factor);
        }
        return new Schedule(scale(first, factor), scale(cap, factor), transmissions, scale(grace, factor));
    }

    /** Stretched by a random 0-5 %, so transactions started together drift apart (RFC 5780 section 5). */
    public Schedule drifted(RandomGenerator random) {
        return stretched(1 + random.nextDouble() * MAX_DRIFT);
    }

    private static long offsetNanos(Duration first, Duration cap, int n) {
        long offset = 0;
        long interval = first.toNanos();
        for (int k = 0; k < n; k++) {
            offset += interval; // never above the cap: the constructor keeps first <= cap
            interval = Math.min(interval * 2, cap.toNanos());
        }
        return offset;
    }

    private static Duration scale(Duration d, double factor) {
        return Duration.ofNanos((long) (d.toNanos() * factor));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
