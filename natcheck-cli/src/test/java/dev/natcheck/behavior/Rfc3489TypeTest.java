package dev.natcheck.behavior;

import static dev.natcheck.behavior.EndpointDependence.ADDRESS_AND_PORT_DEPENDENT;
import static dev.natcheck.behavior.EndpointDependence.ADDRESS_DEPENDENT;
import static dev.natcheck.behavior.EndpointDependence.ENDPOINT_INDEPENDENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.behavior.Finding.Reason;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The table in {@link Rfc3489Type#derive}: one row, one case. */
class Rfc3489TypeTest {

    private static final Finding<EndpointDependence> EIM = Finding.measured(ENDPOINT_INDEPENDENT);
    private static final Finding<EndpointDependence> AD = Finding.measured(ADDRESS_DEPENDENT);
    private static final Finding<EndpointDependence> APD = Finding.measured(ADDRESS_AND_PORT_DEPENDENT);
    private static final Finding<EndpointDependence> UNSUPPORTED = Finding.unknown(Reason.NOT_SUPPORTED_BY_SERVER, "x");
    private static final Finding<EndpointDependence> LOST = Finding.unknown(Reason.INCONCLUSIVE, "x");

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("nothing answered", false, Optional.empty(), LOST, LOST, Rfc3489Type.BLOCKED, null),
                Arguments.of("no NAT, EIF", true, Optional.of(false), EIM, EIM, Rfc3489Type.OPEN, null),
                Arguments.of(
                        "no NAT, ADF", true, Optional.of(false), EIM, AD, Rfc3489Type.SYMMETRIC_UDP_FIREWALL, null),
                Arguments.of(
                        "no NAT, APDF", true, Optional.of(false), EIM, APD, Rfc3489Type.SYMMETRIC_UDP_FIREWALL, null),
                Arguments.of(
                        "no NAT, filtering unsupported",
                        true,
                        Optional.of(false),
                        EIM,
                        UNSUPPORTED,
                        null,
                        Reason.NOT_SUPPORTED_BY_SERVER),
                Arguments.of("NAT, ADM", true, Optional.of(true), AD, LOST, Rfc3489Type.SYMMETRIC, null),
                Arguments.of("NAT, APDM", true, Optional.of(true), APD, APD, Rfc3489Type.SYMMETRIC, null),
                Arguments.of("NAT, EIM, EIF", true, Optional.of(true), EIM, EIM, Rfc3489Type.FULL_CONE, null),
                Arguments.of("NAT, EIM, ADF", true, Optional.of(true), EIM, AD, Rfc3489Type.RESTRICTED_CONE, null),
                Arguments.of(
                        "NAT, EIM, APDF", true, Optional.of(true), EIM, APD, Rfc3489Type.PORT_RESTRICTED_CONE, null),
                Arguments.of("NAT, EIM, filtering lost", true, Optional.of(true), EIM, LOST, null, Reason.INCONCLUSIVE),
                Arguments.of(
                        "NAT, mapping unsupported",
                        true,
                        Optional.of(true),
                        UNSUPPORTED,
                        EIM,
                        null,
                        Reason.NOT_SUPPORTED_BY_SERVER),
                Arguments.of("NAT, mapping lost", true, Optional.of(true), LOST, APD, null, Reason.INCONCLUSIVE),
                Arguments.of("translation unknown", true, Optional.empty(), EIM, EIM, null, Reason.INCONCLUSIVE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void derivesTheRfc3489Name(
            String row,
            boolean answered,
            Optional<Boolean> translated,
            Finding<EndpointDependence> mapping,
            Finding<EndpointDependence> filtering,
            Rfc3489Type expected,
            Reason missing) {
        Finding<Rfc3489Type> name = Rfc3489Type.derive(answered, translated, mapping, filtering);

        assertThat(name.value()).isEqualTo(Optional.ofNullable(expected));
        assertThat(name.missingReason()).isEqualTo(Optional.ofNullable(missing));
    }
}
