package dev.natcheck.behavior;

import static dev.natcheck.address.AddressText.format;

import dev.natcheck.behavior.Finding.Reason;
import dev.natcheck.transaction.Response;
import java.util.List;

/**
 * RFC 5780 section 3.6, a generic ALG: such a box finds addresses in packets and rewrites them. It
 * recognises the plain MAPPED-ADDRESS but not the XOR-ed copy, so a server that sends both lets
 * the client see the rewrite: the two differ.
 */
public final class AlgRule {

    private AlgRule() {}

    /** Decides from every answer received; only those carrying both attributes count. */
    public static Finding<Boolean> decide(List<Response> answers, List<String> evidence) {
        int compared = 0;
        for (Response answer : answers) {
            if (answer.xorMapped().isEmpty() || answer.plainMapped().isEmpty()) {
                continue;
            }
            compared++;
            if (!answer.xorMapped().get().equals(answer.plainMapped().get())) {
                evidence.add("ALG: MAPPED-ADDRESS "
                        + format(answer.plainMapped().get()) + " differs from "
                        + "XOR-MAPPED-ADDRESS " + format(answer.xorMapped().get()) + " in the answer from "
                        + format(answer.source()) + ": something on the path rewrites addresses");
                return Finding.measured(true);
            }
        }
        if (compared == 0) {
            evidence.add("ALG: the server sends no MAPPED-ADDRESS next to XOR-MAPPED-ADDRESS, nothing to compare");
            return Finding.unknown(Reason.NOT_SUPPORTED_BY_SERVER, "no MAPPED-ADDRESS");
        }
        evidence.add(
                "ALG: MAPPED-ADDRESS equals XOR-MAPPED-ADDRESS in " + compared + " answer(s): no address rewriting");
        return Finding.measured(false);
    }
}
