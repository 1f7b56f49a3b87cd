package dev.natcheck.behavior;

import static dev.natcheck.behavior.EndpointDependence.ADDRESS_AND_PORT_DEPENDENT;
import static dev.natcheck.behavior.EndpointDependence.ADDRESS_DEPENDENT;
import static dev.natcheck.behavior.EndpointDependence.ENDPOINT_INDEPENDENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.behavior.Finding.Reason;
import dev.natcheck.behavior.ScriptedServer.Script;
import dev.natcheck.probe.Deadline;
import dev.natcheck.transaction.Pacer;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole discovery over real loopback sockets against a {@link ScriptedServer} that plays a
 * NAT of each kind, and servers that cannot run the tests: the findings must follow.
 */
class BehaviorDiscoveryScriptedTest {

    private static BehaviorReport discover(ScriptedServer server) throws InterruptedException {
        return discover(List.of(server.primary()));
    }

    private static BehaviorReport discover(List<InetSocketAddress> servers) throws InterruptedException {
        return new BehaviorDiscovery(new Pacer())
                .discover(ScriptedServer.PRIMARY, servers, Deadline.after(Duration.ofSeconds(8)));
    }

    static Stream<Arguments> nats() {
        return Stream.of(
                Arguments.of(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT, Rfc3489Type.FULL_CONE),
                Arguments.of(ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT, Rfc3489Type.RESTRICTED_CONE),
                Arguments.of(ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT, Rfc3489Type.PORT_RESTRICTED_CONE),
                Arguments.of(ADDRESS_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT, Rfc3489Type.SYMMETRIC),
                Arguments.of(ADDRESS_AND_PORT_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT, Rfc3489Type.SYMMETRIC),
                Arguments.of(ADDRESS_AND_PORT_DEPENDENT, ENDPOINT_INDEPENDENT, Rfc3489Type.SYMMETRIC));
    }

    @ParameterizedTest(name = "{0} mapping, {1} filtering: {2}")
    @MethodSource("nats")
    void findsTheScriptedNat(EndpointDependence mapping, EndpointDependence filtering, Rfc3489Type name)
            throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.nat(mapping, filtering))) {
            BehaviorReport report = discover(server);

            assertThat(report.translated()).contains(true);
            assertThat(report.mapping().value()).as(report::toString).contains(mapping);
            assertThat(report.filtering().value()).as(report::toString).contains(filtering);
            assertThat(report.rfc3489Type().value()).as(report::toString).contains(name);
            // 127.0.0.3 has nobody listening: the pretend NAT does not hairpin, and ICMP says so at once.
            assertThat(report.hairpin().value()).as(report::toString).contains(false);
            assertThat(report.alg().value()).contains(false);
        }
    }

    @Test
    void aServerWithoutOtherAddressGivesNotSupportedNeverAGuess() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(
                Script.nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT).withoutOtherAddress())) {
            BehaviorReport report = discover(server);

            assertThat(report.mapping().missingReason()).as(report::toString).contains(Reason.NOT_SUPPORTED_BY_SERVER);
            assertThat(report.filtering().missingReason()).contains(Reason.NOT_SUPPORTED_BY_SERVER);
            assertThat(report.rfc3489Type().missingReason()).contains(Reason.NOT_SUPPORTED_BY_SERVER);
            // What needs no OTHER-ADDRESS is still measured.
            assertThat(report.hairpin().value()).contains(false);
            assertThat(report.alg().value()).contains(false);
            assertThat(report.evidence()).anyMatch(line -> line.contains("offers no OTHER-ADDRESS"));
        }
    }

    @Test
    void aServerWithoutOtherAddressIsPassedOverForOneThatHasIt() throws Exception {
        try (ScriptedServer plain = ScriptedServer.start(
                        Script.nat(ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT).withoutOtherAddress());
                ScriptedServer capable = ScriptedServer.start(Script.nat(ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT))) {
            BehaviorReport report = discover(List.of(plain.primary(), capable.primary()));

            assertThat(report.server()).contains(capable.primary());
            assertThat(report.filtering().value()).as(report::toString).contains(ADDRESS_DEPENDENT);
            assertThat(report.notes()).anyMatch(line -> line.contains("offers no usable OTHER-ADDRESS; trying"));
        }
    }

    @Test
    void aSilentServerHoldsOnlyItsShareOfTheTimeBeforeTheNextIsAsked() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(ScriptedServer.PRIMARY, 0));
                ScriptedServer capable = ScriptedServer.start(Script.nat(ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT))) {
            InetSocketAddress blackHole = (InetSocketAddress) silent.getLocalSocketAddress();

            BehaviorReport report = new BehaviorDiscovery(new Pacer())
                    .discover(
                            ScriptedServer.PRIMARY,
                            List.of(blackHole, capable.primary()),
                            Deadline.after(Duration.ofSeconds(4)));

            assertThat(report.server()).contains(capable.primary());
            assertThat(report.filtering().value()).as(report::toString).contains(ADDRESS_DEPENDENT);
            assertThat(report.notes()).anyMatch(line -> line.contains("did not answer; trying"));
        }
    }

    @Test
    void aServerThatIgnoresChangeRequestCannotFakeEndpointIndependentFiltering() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(
                Script.nat(ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT).ignoringChangeRequest())) {
            BehaviorReport report = discover(server);

            assertThat(report.filtering().missingReason())
                    .as(report::toString)
                    .contains(Reason.NOT_SUPPORTED_BY_SERVER);
            assertThat(report.mapping().value()).contains(ENDPOINT_INDEPENDENT);
            assertThat(report.evidence()).anyMatch(line -> line.contains("does not honour CHANGE-REQUEST"));
        }
    }

    @Test
    void aServerThatRefusesChangeRequestIsNotSupported() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(
                Script.nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT).refusingChangeRequest())) {
            BehaviorReport report = discover(server);

            assertThat(report.filtering().missingReason())
                    .as(report::toString)
                    .contains(Reason.NOT_SUPPORTED_BY_SERVER);
            assertThat(report.evidence()).anyMatch(line -> line.contains("refused the CHANGE-REQUEST"));
        }
    }

    @Test
    void aRewrittenMappedAddressRevealsAnAlg() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(
                Script.nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT).withAlg())) {
            BehaviorReport report = discover(server);

            assertThat(report.alg().value()).as(report::toString).contains(true);
        }
    }

    @Test
    void nothingAnsweringIsBlocked() throws Exception {
        InetSocketAddress closed;
        try (ScriptedServer server = ScriptedServer.start(Script.nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT))) {
            closed = server.primary();
        }
        BehaviorReport report = new BehaviorDiscovery(new Pacer())
                .discover(ScriptedServer.PRIMARY, List.of(closed), Deadline.after(Duration.ofMillis(700)));

        assertThat(report.rfc3489Type().value()).contains(Rfc3489Type.BLOCKED);
        assertThat(report.mapping().missingReason()).contains(Reason.NO_UDP_ANSWER);
        assertThat(report.filtering().missingReason()).contains(Reason.NO_UDP_ANSWER);
    }

    /**
     * 30 % loss each way on every datagram: a port-restricted cone must come out as exactly that or
     * as inconclusive, never as another class; and an endpoint-independent filter, whose verdict
     * needs answers, must not turn into a dependent one through lost answers.
     */
    @ParameterizedTest(name = "{0} filtering under 30 % loss each way")
    @MethodSource("lossyFilters")
    void lossNeverLooksLikeAnotherClass(EndpointDependence filtering) throws Exception {
        int right = 0;
        for (long seed = 1; seed <= 6; seed++) {
            try (ScriptedServer server = ScriptedServer.start(
                    Script.nat(ENDPOINT_INDEPENDENT, filtering).withLoss(0.3, seed))) {
                BehaviorReport report = discover(server);

                assertThat(report.mapping().value())
                        .as(report::toString)
                        .isIn(Optional.empty(), Optional.of(ENDPOINT_INDEPENDENT));
                assertThat(report.filtering().value())
                        .as(report::toString)
                        .isIn(Optional.empty(), Optional.of(filtering));
                if (report.filtering().isMeasured() && report.mapping().isMeasured()) {
                    right++;
                }
            }
        }
        assertThat(right).as("runs with both findings right, of 6").isGreaterThanOrEqualTo(4);
    }

    static Stream<EndpointDependence> lossyFilters() {
        return Stream.of(ADDRESS_AND_PORT_DEPENDENT, ENDPOINT_INDEPENDENT);
    }
}
