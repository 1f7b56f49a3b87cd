package dev.natcheck.path;

import dev.natcheck.path.TtlAnswers.Answer;
import dev.natcheck.path.TtlAnswers.Kind;
import java.net.InetAddress;

/**
 * Builds {@link TtlAnswers} from one token per TTL, as a trace would have recorded them:
 * {@code 192.168.1.1} time exceeded from that router, {@code *} no answer, {@code dest} the
 * destination itself, {@code !10.0.0.1} unreachable from that router, {@code a/b} first a then b
 * for the same TTL.
 */
final class Answers {

    private Answers() {}

    static TtlAnswers toward(String destination, int maxTtl, String... perTtl) {
        TtlAnswers answers = new TtlAnswers(InetAddress.ofLiteral(destination), maxTtl);
        for (int i = 0; i < perTtl.length; i++) {
            for (String token : perTtl[i].split("/")) {
                if (!token.equals("*")) {
                    answers.record(i + 1, answer(answers.destination(), token));
                }
            }
        }
        return answers;
    }

    private static Answer answer(InetAddress destination, String token) {
        if (token.equals("dest")) {
            return new Answer(Kind.DESTINATION, destination);
        }
        if (token.startsWith("!")) {
            return new Answer(Kind.UNREACHABLE, InetAddress.ofLiteral(token.substring(1)));
        }
        return new Answer(Kind.TIME_EXCEEDED, InetAddress.ofLiteral(token));
    }
}
