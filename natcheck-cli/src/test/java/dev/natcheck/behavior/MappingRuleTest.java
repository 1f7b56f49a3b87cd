package dev.natcheck.behavior;

import static dev.natcheck.behavior.Outcomes.LOCAL;
import static dev.natcheck.behavior.Outcomes.OTHER;
import static dev.natcheck.behavior.Outcomes.OTHER_PRIMARY_PORT;
import static dev.natcheck.behavior.Outcomes.PRIMARY;
import static dev.natcheck.behavior.Outcomes.answered;
import static dev.natcheck.behavior.Outcomes.silent;
import static dev.natcheck.behavior.Outcomes.sock;
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

/** RFC 5780 section 4.3, one row per outcome of tests I-III. */
class MappingRuleTest {

    private static final InetSocketAddress M1 = sock("198.51.100.2", 40000);
    private static final InetSocketAddress M2 = sock("198.51.100.2", 40001);
    private static final InetSocketAddress M3 = sock("198.51.100.2", 40002);

    static Stream<Arguments> rows() {
        Optional<InetSocketAddress> other = Optional.of(OTHER);
        return Stream.of(
                row(
                        "no NAT: mapped equals local, no further test needed",
                        answered(PRIMARY, LOCAL),
                        Optional.empty(),
                        null,
                        null,
                        EndpointDependence.ENDPOINT_INDEPENDENT,
                        null),
                row(
                        "same mapping towards the alternate address",
                        answered(PRIMARY, M1),
                        other,
                        answered(OTHER_PRIMARY_PORT, M1),
                        answered(OTHER, M1),
                        EndpointDependence.ENDPOINT_INDEPENDENT,
                        null),
                row(
                        "EIM needs no test III",
                        answered(PRIMARY, M1),
                        other,
                        answered(OTHER_PRIMARY_PORT, M1),
                        silent(),
                        EndpointDependence.ENDPOINT_INDEPENDENT,
                        null),
                row(
                        "new mapping per address only",
                        answered(PRIMARY, M1),
                        other,
                        answered(OTHER_PRIMARY_PORT, M2),
                        answered(OTHER, M2),
                        EndpointDependence.ADDRESS_DEPENDENT,
                        null),
                row(
                        "new mapping per address and port",
                        answered(PRIMARY, M1),
                        other,
                        answered(OTHER_PRIMARY_PORT, M2),
                        answered(OTHER, M3),
                        EndpointDependence.ADDRESS_AND_PORT_DEPENDENT,
                        null),
                row("test I lost", silent(), other, null, null, null, Reason.INCONCLUSIVE),
                row(
                        "behind NAT, no OTHER-ADDRESS",
                        answered(PRIMARY, M1),
                        Optional.empty(),
                        null,
                        null,
                        null,
                        Reason.NOT_SUPPORTED_BY_SERVER),
                row(
                        "test II lost",
                        answered(PRIMARY, M1),
                        other,
                        silent(),
                        answered(OTHER, M1),
                        null,
                        Reason.INCONCLUSIVE),
                row(
                        "test II differs, test III lost",
                        answered(PRIMARY, M1),
                        other,
                        answered(OTHER_PRIMARY_PORT, M2),
                        silent(),
                        null,
                        Reason.INCONCLUSIVE),
                row("test II never ran", answered(PRIMARY, M1), other, null, null, null, Reason.INCONCLUSIVE));
    }

    private static Arguments row(
            String name,
            Outcome one,
            Optional<InetSocketAddress> other,
            Outcome two,
            Outcome three,
            EndpointDependence expected,
            Reason missing) {
        return Arguments.of(
                name,
                new MappingRule.Observed(LOCAL, one, other, Optional.ofNullable(two), Optional.ofNullable(three)),
                expected,
                missing);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(String name, MappingRule.Observed observed, EndpointDependence expected, Reason missing) {
        List<String> evidence = new ArrayList<>();

        Finding<EndpointDependence> mapping = MappingRule.decide(observed, evidence);

        assertThat(mapping.value()).isEqualTo(Optional.ofNullable(expected));
        assertThat(mapping.missingReason()).isEqualTo(Optional.ofNullable(missing));
        assertThat(evidence).singleElement().asString().startsWith("mapping: ");
    }
}
