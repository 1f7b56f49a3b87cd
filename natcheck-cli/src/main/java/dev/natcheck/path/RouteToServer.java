package dev.natcheck.path;

import dev.natcheck.classify.AddressScope;
import dev.natcheck.path.TtlAnswers.Answer;
import dev.natcheck.path.TtlAnswers.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The hops toward the STUN server, read from the answers to the probes sent toward it: TTL by
 * TTL up to and including the first hop with a public address ({@link AddressScope#PUBLIC}), or
 * the server itself, or a hop that says the server is unreachable. A pure function of the
 * answers.
 *
 * @param hops in TTL order, silent hops included; ends at {@code end} when there is one, else at
 *     the last TTL that answered
 * @param end the TTL of the first public hop, the server or an unreachable; empty when none
 *     answered yet
 * @param complete whether every hop up to {@code end} answered, once each way
 * @param notes what is missing or odd, for the trace's note
 */
record RouteToServer(List<Hop> hops, OptionalInt end, boolean complete, List<String> notes) {

    static RouteToServer read(TtlAnswers answers) {
        int end = 0;
        int last = 0;
        for (int ttl = 1; ttl <= answers.maxTtl() && end == 0; ttl++) {
            Optional<Answer> answer = answers.answer(ttl);
            if (answer.isEmpty()) {
                continue;
            }
            last = ttl;
            Answer a = answer.get();
            if (a.kind() != Kind.TIME_EXCEEDED || AddressScope.of(a.from()) == AddressScope.PUBLIC) {
                end = ttl;
            }
        }
        int upTo = end > 0 ? end : last;
        List<Hop> hops = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        boolean complete = end > 0;
        for (int ttl = 1; ttl <= upTo; ttl++) {
            Optional<Answer> answer = answers.answer(ttl);
            hops.add(answer.isPresent() ? Hop.answered(ttl, answer.get().from()) : Hop.silent(ttl));
            if (answer.isEmpty()) {
                complete = false;
                notes.add("hop " + ttl + " toward the server did not answer");
            } else if (answers.conflicting(ttl)) {
                complete = false;
                notes.add("hop " + ttl + " toward the server answered from more than one address");
            }
        }
        if (end > 0 && answers.answer(end).orElseThrow().kind() == Kind.UNREACHABLE) {
            notes.add("hop " + end + " ("
                    + answers.answer(end).orElseThrow().from().getHostAddress() + ") says the server is unreachable");
        }
        if (end == 0) {
            notes.add("no public hop toward the server "
                    + (last == 0 ? "answered" : "within " + last + " hops that answered"));
        }
        return new RouteToServer(
                List.copyOf(hops), end > 0 ? OptionalInt.of(end) : OptionalInt.empty(), complete, List.copyOf(notes));
    }
}
