package dev.natcheck.path;

import dev.natcheck.path.TtlAnswers.Answer;
import dev.natcheck.path.TtlAnswers.Kind;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The distance to the outermost NAT, read from the answers to the probes sent toward the probe's
 * own mapped (public) address: the NAT that owns that address answers for it (port unreachable,
 * as the datagram ends there), so the smallest TTL at which the mapped address answers is the
 * NAT's hop distance, 1 for the first router. A pure function of the answers.
 *
 * <p>It is only believed when every smaller TTL was answered by another router with time
 * exceeded: under loss, a TTL that stayed silent could have been the owner, so the distance is
 * then unknown rather than a guess, and answers that contradict it (a router beyond the owner)
 * make it unknown too.
 *
 * @param distance the hop distance, when proven
 * @param settled whether more probes could not change the reading (the distance is proven, or the
 *     answers rule it out); false while a smaller TTL is still unanswered
 * @param note why the distance is unknown; empty when it is known
 */
record OutermostNat(OptionalInt distance, boolean settled, Optional<String> note) {

    static OutermostNat read(TtlAnswers answers) {
        int owner = answers.firstOf(Kind.DESTINATION);
        String mapped = answers.destination().getHostAddress();
        int searchTo = owner > 0 ? owner - 1 : answers.maxTtl();
        for (int ttl = 1; ttl <= searchTo; ttl++) {
            Optional<Answer> answer = answers.answer(ttl);
            if (answer.isEmpty()) {
                return unknown(false, "hop " + ttl + " toward " + mapped + " did not answer");
            }
            if (answers.conflicting(ttl)) {
                return unknown(true, "hop " + ttl + " toward " + mapped + " answered from more than one address");
            }
            if (answer.get().kind() == Kind.UNREACHABLE) {
                return unknown(
                        true,
                        "hop " + ttl + " (" + answer.get().from().getHostAddress() + ") says " + mapped
                                + " is unreachable");
            }
        }
        if (owner == 0) {
            return unknown(true, mapped + " did not answer within " + answers.maxTtl() + " hops");
        }
        if (answers.conflicting(owner)) {
            return unknown(true, "hop " + owner + " toward " + mapped + " answered from more than one address");
        }
        for (int ttl = owner + 1; ttl <= answers.maxTtl(); ttl++) {
            Optional<Answer> answer = answers.answer(ttl);
            if (answer.isPresent() && answer.get().kind() != Kind.DESTINATION) {
                // Past the owner, only the owner can answer: a router there means the datagram
                // went on (a NAT forwarding it, a route that changed), so hop counts are unsure.
                return unknown(
                        true,
                        mapped + " answered at hop " + owner + " but "
                                + answer.get().from().getHostAddress() + " answered at hop " + ttl);
            }
        }
        return new OutermostNat(OptionalInt.of(owner), true, Optional.empty());
    }

    /** No probes needed: the host itself holds the mapped address. */
    static OutermostNat noNat() {
        return new OutermostNat(OptionalInt.of(0), true, Optional.empty());
    }

    private static OutermostNat unknown(boolean settled, String note) {
        return new OutermostNat(OptionalInt.empty(), settled, Optional.of(note));
    }
}
