package dev.natcheck.path;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What came back for each TTL of the probes toward one destination, and how often each TTL was
 * sent. The first answer for a TTL is kept; a later one that differs (a route that changed, a
 * load balancer) marks the TTL as conflicting, and readings never trust a conflicting TTL.
 */
final class TtlAnswers {

    /** What an answer says about the hop at its TTL. */
    enum Kind {
        /** ICMP time exceeded: the sender forwards toward the destination; the probe went on past it. */
        TIME_EXCEEDED,
        /** The destination address itself answered (port unreachable, or a datagram back). */
        DESTINATION,
        /** Another ICMP error (host, net or administratively unreachable): the path ends there. */
        UNREACHABLE
    }

    /** One answer: its kind and who sent it. */
    record Answer(Kind kind, InetAddress from) {}

    private final InetAddress destination;
    private final int maxTtl;
    private final Answer[] answers;
    private final boolean[] conflicting;
    private final int[] sent;

    TtlAnswers(InetAddress destination, int maxTtl) {
        this.destination = destination;
        this.maxTtl = maxTtl;
        answers = new Answer[maxTtl + 1];
        conflicting = new boolean[maxTtl + 1];
        sent = new int[maxTtl + 1];
    }

    InetAddress destination() {
        return destination;
    }

    int maxTtl() {
        return maxTtl;
    }

    /** Records an answer to the probe sent with {@code ttl}; TTLs outside 1..max are ignored. */
    void record(int ttl, Answer answer) {
        if (ttl < 1 || ttl > maxTtl) {
            return;
        }
        if (answers[ttl] == null) {
            answers[ttl] = answer;
        } else if (!answers[ttl].equals(answer)) {
            conflicting[ttl] = true;
        }
    }

    /** Records a probe sent with {@code ttl}. */
    void sent(int ttl) {
        sent[ttl]++;
    }

    int timesSent(int ttl) {
        return sent[ttl];
    }

    Optional<Answer> answer(int ttl) {
        return Optional.ofNullable(answers[ttl]);
    }

    boolean conflicting(int ttl) {
        return conflicting[ttl];
    }

    /** The smallest TTL whose answer is of {@code kind}, 0 when none is. */
    int firstOf(Kind kind) {
        for (int ttl = 1; ttl <= maxTtl; ttl++) {
            if (answers[ttl] != null && answers[ttl].kind() == kind) {
                return ttl;
            }
        }
        return 0;
    }

    /** TTLs 1..{@code upTo} with no answer yet. */
    List<Integer> unanswered(int upTo) {
        List<Integer> ttls = new ArrayList<>();
        for (int ttl = 1; ttl <= Math.min(upTo, maxTtl); ttl++) {
            if (answers[ttl] == null) {
                ttls.add(ttl);
            }
        }
        return ttls;
    }
}
