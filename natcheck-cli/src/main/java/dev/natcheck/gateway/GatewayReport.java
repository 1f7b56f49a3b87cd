package dev.natcheck.gateway;

import dev.natcheck.address.AddressText;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one gateway said, over every protocol natcheck asked, and the answer that counts.
 *
 * @param answers one per protocol asked: the UDP 5351 conversation (PCP, or NAT-PMP after a
 *     fallback) and UPnP IGD
 */
public record GatewayReport(GatewayEndpoint endpoint, List<GatewayAnswer> answers) {

    public GatewayReport {
        Objects.requireNonNull(endpoint, "endpoint");
        answers = List.copyOf(answers);
    }

    /**
     * The answer the classifier goes by: one that names an external address, a clean answer
     * before an error answer that names one anyway, in the order PCP, NAT-PMP, UPnP; without any
     * address, the first the gateway gave at all; else the first (silence).
     */
    public Optional<GatewayAnswer> decisive() {
        Comparator<GatewayAnswer> order = Comparator.comparing(
                        (GatewayAnswer a) -> !a.result().equals(GatewayAnswer.OK))
                .thenComparing(GatewayAnswer::protocol);
        Optional<GatewayAnswer> withAddress =
                answers.stream().filter(a -> a.external().isPresent()).min(order);
        if (withAddress.isPresent()) {
            return withAddress;
        }
        Optional<GatewayAnswer> answered =
                answers.stream().filter(GatewayAnswer::answered).min(Comparator.comparing(GatewayAnswer::protocol));
        return answered.isPresent() ? answered : answers.stream().findFirst();
    }

    /** The gateway's own external address, as the decisive answer names it. */
    public Optional<InetAddress> external() {
        return decisive().flatMap(GatewayAnswer::external);
    }

    /** One line per protocol, then a line when two protocols named different addresses. */
    public List<String> evidence() {
        List<String> lines = new ArrayList<>();
        for (GatewayAnswer answer : answers) {
            lines.add(answer.note());
        }
        List<InetAddress> named =
                answers.stream().flatMap(a -> a.external().stream()).distinct().toList();
        if (named.size() > 1) {
            lines.add("the gateway's protocols name different external addresses ("
                    + String.join(", ", named.stream().map(AddressText::format).toList()) + "); natcheck goes by "
                    + decisive().map(a -> a.protocol().label()).orElse("none"));
        }
        return lines;
    }
}
