package dev.natcheck.behavior;

import static dev.natcheck.address.AddressText.format;

import dev.natcheck.behavior.Finding.Reason;
import dev.natcheck.transaction.Outcome;
import dev.natcheck.transaction.Response;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * RFC 5780 section 4.3, NAT mapping behaviour, decided from what one socket's Binding Requests
 * saw: test I to the server's primary address, test II to its alternate address and primary
 * port, test III to its alternate address and port. Equal mappings in I and II mean
 * endpoint-independent mapping; otherwise equal II and III mean address-dependent, different
 * ones address-and-port-dependent. A mapped address equal to the local one means no NAT, whose
 * effective mapping is endpoint-independent. A test without an answer leaves the verdict
 * inconclusive; mappings are only ever compared, never guessed.
 */
public final class MappingRule {

    private MappingRule() {}

    /**
     * The mapping socket's tests.
     *
     * @param local the socket's own address
     * @param testI the Binding Request to the primary address
     * @param other the server's usable OTHER-ADDRESS; empty when it offers none
     * @param testII to (alternate IP, primary port), empty when not run
     * @param testIII to (alternate IP, alternate port), empty when not run
     */
    public record Observed(
            InetSocketAddress local,
            Outcome testI,
            Optional<InetSocketAddress> other,
            Optional<Outcome> testII,
            Optional<Outcome> testIII) {}

    /** The verdict; the reasons go to {@code evidence}. */
    public static Finding<EndpointDependence> decide(Observed o, List<String> evidence) {
        Optional<InetSocketAddress> first = o.testI().answer().flatMap(Response::mapped);
        if (first.isEmpty()) {
            evidence.add("mapping: test I got no answer " + silence(o.testI()));
            return Finding.unknown(Reason.INCONCLUSIVE, "test I got no answer");
        }
        if (first.get().equals(o.local())) {
            evidence.add("mapping: the server saw " + format(first.get()) + ", the socket's own address: no NAT, "
                    + "so the mapping is endpoint-independent (RFC 5780 section 4.3)");
            return Finding.measured(EndpointDependence.ENDPOINT_INDEPENDENT);
        }
        if (o.other().isEmpty()) {
            evidence.add("mapping: the server offers no OTHER-ADDRESS, so there is no second address to compare "
                    + "the mapping " + format(first.get()) + " against");
            return Finding.unknown(Reason.NOT_SUPPORTED_BY_SERVER, "no OTHER-ADDRESS");
        }
        Optional<InetSocketAddress> second = mapped(o.testII());
        if (second.isEmpty()) {
            evidence.add("mapping: test II (alternate address, primary port) got no answer "
                    + o.testII().map(MappingRule::silence).orElse("(not run)"));
            return Finding.unknown(Reason.INCONCLUSIVE, "test II got no answer");
        }
        if (second.get().equals(first.get())) {
            evidence.add("mapping: " + format(first.get()) + " towards the primary and the alternate address alike: "
                    + "endpoint-independent");
            return Finding.measured(EndpointDependence.ENDPOINT_INDEPENDENT);
        }
        Optional<InetSocketAddress> third = mapped(o.testIII());
        if (third.isEmpty()) {
            evidence.add("mapping: " + format(first.get()) + " towards the primary address but " + format(second.get())
                    + " towards the alternate one; test III (alternate address and port) got no answer "
                    + o.testIII().map(MappingRule::silence).orElse("(not run)"));
            return Finding.unknown(Reason.INCONCLUSIVE, "test III got no answer");
        }
        if (third.get().equals(second.get())) {
            evidence.add("mapping: " + format(first.get()) + " towards the primary address, " + format(second.get())
                    + " towards the alternate address whatever its port: address-dependent");
            return Finding.measured(EndpointDependence.ADDRESS_DEPENDENT);
        }
        evidence.add("mapping: " + format(first.get()) + ", " + format(second.get()) + " and " + format(third.get())
                + " towards three server endpoints: a new mapping per address and port, address-and-port-dependent");
        return Finding.measured(EndpointDependence.ADDRESS_AND_PORT_DEPENDENT);
    }

    private static Optional<InetSocketAddress> mapped(Optional<Outcome> outcome) {
        return outcome.flatMap(Outcome::answer).flatMap(Response::mapped);
    }

    /** "(after 10 transmissions)" and the like: why there is no answer. */
    static String silence(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Answered a -> "(answered)";
            case Outcome.Unanswered u ->
                u.complete()
                        ? "(after " + u.transmissions() + " transmissions)"
                        : "(cut short after " + u.transmissions() + " transmissions)";
            case Outcome.Refused r -> "(" + r.detail() + ")";
            case Outcome.Rejected r -> "(error " + r.code() + " " + r.reason() + ")";
        };
    }
}
