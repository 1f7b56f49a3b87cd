package dev.natcheck.behavior;

import static dev.natcheck.address.AddressText.format;

import dev.natcheck.behavior.Finding.Reason;
import dev.natcheck.transaction.Outcome;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * RFC 5780 sections 3.4 and 4.5, hairpinning: from a second socket, send a Binding Request to the
 * first socket's mapped address; if the first socket receives it, the NAT hairpins. An ICMP
 * refusal is a clear no; silence is a no only when another answer arrived on any socket after
 * the hairpin request went out, so the path was up meanwhile.
 */
public final class HairpinRule {

    private HairpinRule() {}

    /**
     * @param target the mapped address the request was sent to; empty when no mapping was learnt
     * @param request how the hairpin request ended; empty when it did not run
     * @param pathAliveMeanwhile whether any answer arrived after the hairpin request's first send
     */
    public record Observed(Optional<InetSocketAddress> target, Optional<Outcome> request, boolean pathAliveMeanwhile) {}

    public static Finding<Boolean> decide(Observed o, List<String> evidence) {
        if (o.target().isEmpty() || o.request().isEmpty()) {
            evidence.add("hairpin: not tested, no mapped address to send to");
            return Finding.unknown(Reason.INCONCLUSIVE, "no mapped address");
        }
        String to = format(o.target().get());
        return switch (o.request().get()) {
            case Outcome.Answered a -> {
                evidence.add("hairpin: a request to our own mapped address " + to + " came back, from "
                        + format(a.response().source()));
                yield Finding.measured(true);
            }
            case Outcome.Refused r -> {
                evidence.add("hairpin: a request to our own mapped address " + to + " was refused (" + r.detail()
                        + "): the NAT does not hairpin");
                yield Finding.measured(false);
            }
            case Outcome.Unanswered u
            when u.complete() && o.pathAliveMeanwhile() -> {
                evidence.add("hairpin: a request to our own mapped address " + to + " never came back "
                        + MappingRule.silence(u) + " while other requests were answered: no hairpinning");
                yield Finding.measured(false);
            }
            case Outcome outcome -> {
                evidence.add("hairpin: a request to our own mapped address " + to + " never came back "
                        + MappingRule.silence(outcome) + ", and nothing else was answered meanwhile");
                yield Finding.unknown(Reason.INCONCLUSIVE, "no answer and no sign of life");
            }
        };
    }
}
