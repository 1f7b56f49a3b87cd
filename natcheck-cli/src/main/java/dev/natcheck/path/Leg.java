package dev.natcheck.path;

import dev.natcheck.path.TtlAnswers.Kind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The probes toward one destination: which TTLs are open for probing, when each was last sent,
 * and what came back. A probe's TTL is told by its destination port ({@code portBase + ttl}),
 * which the kernel hands back with each error, so no payload needs to survive the ICMP quote.
 *
 * <p>TTLs open in waves: the first {@code firstWave}, then {@code wave} more each time every open
 * TTL has answered without reaching what the leg looks for, up to {@code maxTtl}. So a near
 * answer costs no far probes (and no ICMP from far routers), and a far one costs a round trip
 * per wave. Once the answer is found, only the unanswered TTLs below it are worth sending
 * again. Times are {@link System#nanoTime()} values passed in, so the schedule is testable.
 */
final class Leg {

    /** What the leg looks for. */
    enum Goal {
        /** The hops up to the first public one (or the destination). */
        ROUTE,
        /** The TTL at which the destination address itself answers. */
        OWNER
    }

    private final Goal goal;
    private final TtlAnswers answers;
    private final int portBase;
    private final int wave;
    private final long[] lastSent;
    private int window;
    private Optional<String> failure = Optional.empty();
    private int probes;

    Leg(Goal goal, InetAddress destination, int portBase, int firstWave, int wave, int maxTtl) {
        this.goal = goal;
        this.answers = new TtlAnswers(destination, maxTtl);
        this.portBase = portBase;
        this.wave = wave;
        this.window = Math.min(firstWave, maxTtl);
        this.lastSent = new long[maxTtl + 1];
    }

    TtlAnswers answers() {
        return answers;
    }

    int probesSent() {
        return probes;
    }

    /** Why sending stopped, when it did. */
    Optional<String> failure() {
        return failure;
    }

    void fail(String why) {
        failure = Optional.of(why);
    }

    /** Where the probe with {@code ttl} goes. */
    InetSocketAddress target(int ttl) {
        return new InetSocketAddress(answers.destination(), portBase + ttl);
    }

    /** The TTL of the probe that went to {@code destination}, or 0 when it was not one of ours. */
    int ttlOf(InetSocketAddress destination) {
        int ttl = destination.getPort() - portBase;
        return destination.getAddress().equals(answers.destination()) && ttl >= 1 && ttl <= answers.maxTtl() ? ttl : 0;
    }

    /** Whether more answers could not change what this leg says. */
    boolean settled() {
        return switch (goal) {
            case ROUTE -> {
                int end = RouteToServer.read(answers).end().orElse(0);
                yield end > 0 && answers.unanswered(end - 1).isEmpty();
            }
            case OWNER -> OutermostNat.read(answers).settled();
        };
    }

    /** The highest TTL worth probing now, opening the next wave when the open ones all answered. */
    private int limit() {
        int found = switch (goal) {
            case ROUTE -> RouteToServer.read(answers).end().orElse(0);
            case OWNER -> answers.firstOf(Kind.DESTINATION);
        };
        if (found > 0) {
            return found - 1;
        }
        while (window < answers.maxTtl() && answers.unanswered(window).isEmpty()) {
            window = Math.min(window + wave, answers.maxTtl());
        }
        return window;
    }

    /**
     * The TTLs to send at {@code now}: open, unanswered, sent fewer than {@code attempts} times,
     * and never sent or last sent at least {@code interval} nanoseconds ago. Ascending.
     */
    List<Integer> due(long now, long interval, int attempts) {
        List<Integer> due = new ArrayList<>();
        if (failure.isPresent() || settled()) {
            return due;
        }
        for (int ttl : answers.unanswered(limit())) {
            int sent = answers.timesSent(ttl);
            if (sent == 0 || (sent < attempts && now - lastSent[ttl] >= interval)) {
                due.add(ttl);
            }
        }
        return due;
    }

    /** When the next probe falls due after the ones sent so far; {@link Long#MAX_VALUE} if none. */
    long nextDue(long interval, int attempts) {
        if (failure.isPresent() || settled()) {
            return Long.MAX_VALUE;
        }
        long next = Long.MAX_VALUE;
        for (int ttl : answers.unanswered(limit())) {
            int sent = answers.timesSent(ttl);
            if (sent == 0) {
                return Long.MIN_VALUE; // due now
            }
            if (sent < attempts) {
                next = Math.min(next, lastSent[ttl] + interval);
            }
        }
        return next;
    }

    void sent(int ttl, long now) {
        answers.sent(ttl);
        lastSent[ttl] = now;
        probes++;
    }

    @Override
    public String toString() {
        return goal + " toward " + answers.destination().getHostAddress() + ", " + probes + " probes";
    }
}
