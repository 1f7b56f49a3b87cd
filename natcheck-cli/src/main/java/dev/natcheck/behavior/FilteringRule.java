package dev.natcheck.behavior;

import static dev.natcheck.address.AddressText.format;

import dev.natcheck.behavior.Finding.Reason;
import dev.natcheck.transaction.Outcome;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * RFC 5780 section 4.4, NAT filtering behaviour, from a fresh socket that has sent only to the
 * server's primary address: test II asks for the answer from the alternate address and port
 * (CHANGE-REQUEST change-IP and change-port), test III from the primary address's alternate
 * port (change-port). An answer to II means endpoint-independent filtering; else an answer to
 * III means address-dependent; else address-and-port-dependent.
 *
 * <p>The last two verdicts rest on silence, and silence is also what loss, a broken alternate
 * address or a rate-limiting server produce. So a missing answer counts as filtering only when
 * <ul>
 * <li>the control request (test I) on the same socket was answered,
 * <li>the changed-address request stayed unanswered through all its retransmissions,
 * <li>the same socket was answered again afterwards (the closing control), or test III was
 *     answered, so the path and the server were working during the silence, and
 * <li>the address the answer would have come from was seen answering at all: another socket's
 *     request to the alternate address and port (mapping test III), or to the primary address's
 *     alternate port, was answered from exactly there.
 * </ul>
 * Anything less is "inconclusive". A server that answers a CHANGE-REQUEST from the wrong address,
 * or refuses it, does not support the test: "not supported by server".
 */
public final class FilteringRule {

    private FilteringRule() {}

    /**
     * The filtering socket's tests and the proofs from the other socket.
     *
     * @param primary the server address the filtering socket sent to
     * @param other the server's usable OTHER-ADDRESS; empty when it offers none
     * @param testI the control request
     * @param testII CHANGE-REQUEST change-IP and change-port, empty when not run
     * @param testIII CHANGE-REQUEST change-port, empty when not run
     * @param closing a plain request on the same socket after II and III, empty when not run
     * @param otherAnswers whether the alternate address and port answered another socket
     * @param primaryAltPortAnswers whether the primary address's alternate port answered another socket
     */
    public record Observed(
            InetSocketAddress primary,
            Optional<InetSocketAddress> other,
            Outcome testI,
            Optional<Outcome> testII,
            Optional<Outcome> testIII,
            Optional<Outcome> closing,
            boolean otherAnswers,
            boolean primaryAltPortAnswers) {

        /** Where test III's answer must come from: the primary address, the alternate port. */
        public Optional<InetSocketAddress> primaryAltPort() {
            return other.map(o -> new InetSocketAddress(primary.getAddress(), o.getPort()));
        }
    }

    /** The verdict; the reasons go to {@code evidence}. */
    public static Finding<EndpointDependence> decide(Observed o, List<String> evidence) {
        if (o.testI().answer().isEmpty()) {
            evidence.add("filtering: the control request got no answer " + MappingRule.silence(o.testI()));
            return Finding.unknown(Reason.INCONCLUSIVE, "control request unanswered");
        }
        if (o.other().isEmpty()) {
            evidence.add("filtering: the server offers no OTHER-ADDRESS to answer from");
            return Finding.unknown(Reason.NOT_SUPPORTED_BY_SERVER, "no OTHER-ADDRESS");
        }
        InetSocketAddress other = o.other().get();
        InetSocketAddress primaryAlt = o.primaryAltPort().orElseThrow();
        if (o.testII().isEmpty()) {
            evidence.add("filtering: test II did not run");
            return Finding.unknown(Reason.INCONCLUSIVE, "test II did not run");
        }
        Outcome two = o.testII().get();
        Optional<Finding<EndpointDependence>> unsupported = unsupported("test II", two, other, evidence);
        if (unsupported.isPresent()) {
            return unsupported.get();
        }
        if (two.answeredFrom(other)) {
            evidence.add("filtering: the answer to test II came from the alternate address " + format(other)
                    + ", which this socket never sent to: endpoint-independent");
            return Finding.measured(EndpointDependence.ENDPOINT_INDEPENDENT);
        }
        if (!two.silentThroughout()) {
            evidence.add("filtering: test II ended without a verdict " + MappingRule.silence(two));
            return Finding.unknown(Reason.INCONCLUSIVE, "test II cut short");
        }
        if (!o.otherAnswers()) {
            evidence.add("filtering: no answer from " + format(other) + " to test II, but that address never answered "
                    + "the mapping socket either, so the silence proves nothing");
            return Finding.unknown(Reason.INCONCLUSIVE, "alternate address never answered");
        }
        Optional<Outcome> three = o.testIII();
        if (three.isPresent()) {
            Optional<Finding<EndpointDependence>> threeUnsupported =
                    unsupported("test III", three.get(), primaryAlt, evidence);
            if (threeUnsupported.isPresent()) {
                return threeUnsupported.get();
            }
        }
        boolean threeAnswered = three.map(t -> t.answeredFrom(primaryAlt)).orElse(false);
        boolean closingAnswered = o.closing().map(c -> c.answer().isPresent()).orElse(false);
        if (!threeAnswered && !closingAnswered) {
            evidence.add("filtering: no answer to test II, but the same socket was not answered afterwards either "
                    + o.closing().map(MappingRule::silence).orElse("(no closing control)")
                    + ": loss cannot be told from filtering");
            return Finding.unknown(Reason.INCONCLUSIVE, "closing control unanswered");
        }
        String silentII = "no answer from the alternate address " + format(other) + " to test II "
                + MappingRule.silence(two) + " while the same socket was answered";
        if (three.isEmpty()) {
            evidence.add("filtering: " + silentII + "; test III did not run");
            return Finding.unknown(Reason.INCONCLUSIVE, "test III did not run");
        }
        if (threeAnswered) {
            evidence.add("filtering: " + silentII + ", but test III's answer from " + format(primaryAlt)
                    + " (the address this socket sent to, another port) came in: address-dependent");
            return Finding.measured(EndpointDependence.ADDRESS_DEPENDENT);
        }
        if (!three.get().silentThroughout()) {
            evidence.add("filtering: " + silentII + "; test III ended without a verdict "
                    + MappingRule.silence(three.get()));
            return Finding.unknown(Reason.INCONCLUSIVE, "test III cut short");
        }
        if (!o.primaryAltPortAnswers()) {
            evidence.add("filtering: " + silentII + "; no answer from " + format(primaryAlt) + " to test III, but that "
                    + "address never answered the mapping socket either, so the silence proves nothing");
            return Finding.unknown(Reason.INCONCLUSIVE, "primary address's alternate port never answered");
        }
        evidence.add("filtering: " + silentII + "; no answer from " + format(primaryAlt) + " to test III "
                + MappingRule.silence(three.get()) + " although that address answers other sockets: "
                + "address-and-port-dependent");
        return Finding.measured(EndpointDependence.ADDRESS_AND_PORT_DEPENDENT);
    }

    /** A refused CHANGE-REQUEST, or one answered from the wrong place, means the server cannot run the test. */
    private static Optional<Finding<EndpointDependence>> unsupported(
            String test, Outcome outcome, InetSocketAddress expected, List<String> evidence) {
        if (outcome instanceof Outcome.Rejected r) {
            evidence.add("filtering: the server refused the CHANGE-REQUEST of " + test + " with error " + r.code() + " "
                    + r.reason());
            return Optional.of(Finding.unknown(Reason.NOT_SUPPORTED_BY_SERVER, "CHANGE-REQUEST refused"));
        }
        if (outcome instanceof Outcome.Answered a && !a.response().source().equals(expected)) {
            evidence.add("filtering: the answer to " + test + " came from "
                    + format(a.response().source()) + ", not from " + format(expected)
                    + ": the server does not honour CHANGE-REQUEST");
            return Optional.of(Finding.unknown(Reason.NOT_SUPPORTED_BY_SERVER, "CHANGE-REQUEST not honoured"));
        }
        return Optional.empty();
    }
}
