package dev.natcheck.behavior;

import static dev.natcheck.behavior.Outcomes.OTHER;
import static dev.natcheck.behavior.Outcomes.PRIMARY;
import static dev.natcheck.behavior.Outcomes.PRIMARY_ALT_PORT;
import static dev.natcheck.behavior.Outcomes.answered;
import static dev.natcheck.behavior.Outcomes.cutShort;
import static dev.natcheck.behavior.Outcomes.rejected;
import static dev.natcheck.behavior.Outcomes.silent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.behavior.Finding.Reason;
import dev.natcheck.transaction.Outcome;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 5780 section 4.4 and the loss rules on top of it: one row per combination that matters.
 * Columns: control, test II, test III, closing control, alternate address seen answering,
 * primary-address-alternate-port seen answering.
 */
class FilteringRuleTest {

    static Stream<Arguments> rows() {
        Outcome ok = answered(PRIMARY);
        return Stream.of(
                row(
                        "II answered from the alternate address",
                        ok,
                        answered(OTHER),
                        silent(),
                        null,
                        true,
                        true,
                        EndpointDependence.ENDPOINT_INDEPENDENT,
                        null),
                row(
                        "II answered even if nothing else was",
                        ok,
                        answered(OTHER),
                        null,
                        null,
                        false,
                        false,
                        EndpointDependence.ENDPOINT_INDEPENDENT,
                        null),
                row(
                        "II silent, III answered",
                        ok,
                        silent(),
                        answered(PRIMARY_ALT_PORT),
                        ok,
                        true,
                        true,
                        EndpointDependence.ADDRESS_DEPENDENT,
                        null),
                row(
                        "II silent, III answered, closing lost: III proves the path",
                        ok,
                        silent(),
                        answered(PRIMARY_ALT_PORT),
                        silent(),
                        true,
                        true,
                        EndpointDependence.ADDRESS_DEPENDENT,
                        null),
                row(
                        "both silent, every proof there",
                        ok,
                        silent(),
                        silent(),
                        ok,
                        true,
                        true,
                        EndpointDependence.ADDRESS_AND_PORT_DEPENDENT,
                        null),
                row("control lost", silent(), null, null, null, true, true, null, Reason.INCONCLUSIVE),
                row("no OTHER-ADDRESS", ok, null, null, null, false, false, null, Reason.NOT_SUPPORTED_BY_SERVER),
                row(
                        "both silent, closing control lost",
                        ok,
                        silent(),
                        silent(),
                        silent(),
                        true,
                        true,
                        null,
                        Reason.INCONCLUSIVE),
                row(
                        "both silent, alternate address never answered anyone",
                        ok,
                        silent(),
                        silent(),
                        ok,
                        false,
                        true,
                        null,
                        Reason.INCONCLUSIVE),
                row(
                        "both silent, primary's alternate port never answered anyone",
                        ok,
                        silent(),
                        silent(),
                        ok,
                        true,
                        false,
                        null,
                        Reason.INCONCLUSIVE),
                row(
                        "II cut short by the deadline",
                        ok,
                        cutShort(),
                        silent(),
                        ok,
                        true,
                        true,
                        null,
                        Reason.INCONCLUSIVE),
                row(
                        "III cut short by the deadline",
                        ok,
                        silent(),
                        cutShort(),
                        ok,
                        true,
                        true,
                        null,
                        Reason.INCONCLUSIVE),
                row(
                        "II refused with 420",
                        ok,
                        rejected(),
                        silent(),
                        ok,
                        true,
                        true,
                        null,
                        Reason.NOT_SUPPORTED_BY_SERVER),
                row(
                        "II answered from the primary address: CHANGE-REQUEST ignored",
                        ok,
                        answered(PRIMARY),
                        null,
                        null,
                        true,
                        true,
                        null,
                        Reason.NOT_SUPPORTED_BY_SERVER),
                row(
                        "III answered from the primary address: CHANGE-REQUEST ignored",
                        ok,
                        silent(),
                        answered(PRIMARY),
                        ok,
                        true,
                        true,
                        null,
                        Reason.NOT_SUPPORTED_BY_SERVER));
    }

    private static Arguments row(
            String name,
            Outcome one,
            Outcome two,
            Outcome three,
            Outcome closing,
            boolean otherAnswers,
            boolean primaryAltAnswers,
            EndpointDependence expected,
            Reason missing) {
        Optional<InetSocketAddress> other =
                missing == Reason.NOT_SUPPORTED_BY_SERVER && two == null ? Optional.empty() : Optional.of(OTHER);
        return Arguments.of(
                name,
                new FilteringRule.Observed(
                        PRIMARY,
                        other,
                        one,
                        Optional.ofNullable(two),
                        Optional.ofNullable(three),
                        Optional.ofNullable(closing),
                        otherAnswers,
                        primaryAltAnswers),
                expected,
                missing);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(String name, FilteringRule.Observed observed, EndpointDependence expected, Reason missing) {
        List<String> evidence = new ArrayList<>();

        Finding<EndpointDependence> filtering = FilteringRule.decide(observed, evidence);

        assertThat(filtering.value()).as(evidence::toString).isEqualTo(Optional.ofNullable(expected));
        assertThat(filtering.missingReason()).as(evidence::toString).isEqualTo(Optional.ofNullable(missing));
        assertThat(evidence).singleElement().asString().startsWith("filtering: ");
    }
}
