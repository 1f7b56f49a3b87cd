package dev.natcheck.behavior;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.classify.Transport;
import dev.natcheck.probe.Family;
import dev.natcheck.probe.ProbeOutcome;
import dev.natcheck.probe.ProbeState;
import dev.natcheck.probe.ProbeTarget;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a behaviour report sits next to the probe's own outcome. */
class BehaviorSurveyTest {

    private static final InetSocketAddress SERVER = Outcomes.sock("203.0.113.10", 3478);
    private static final InetSocketAddress MAPPED = Outcomes.sock("198.51.100.2", 50000);

    private static ProbeOutcome outcome(Optional<Transport> transport) throws Exception {
        ProbeTarget target = new ProbeTarget("eth0", Family.IPV4, InetAddress.getByName("192.168.1.2"), false, false);
        ProbeState state = transport.isPresent() ? ProbeState.CLASSIFY : ProbeState.FAIL_BLOCKED;
        return new ProbeOutcome(
                target,
                state,
                Outcomes.sock("192.168.1.2", 40000),
                transport,
                transport.map(t -> SERVER),
                transport.map(t -> MAPPED),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                List.of());
    }

    private static BehaviorReport answered() {
        Finding<EndpointDependence> eim = Finding.measured(EndpointDependence.ENDPOINT_INDEPENDENT);
        return new BehaviorReport(
                Optional.of(SERVER),
                Optional.empty(),
                Optional.of(MAPPED),
                Optional.of(true),
                eim,
                eim,
                Finding.measured(false),
                Finding.measured(false),
                Finding.measured(Rfc3489Type.FULL_CONE),
                Optional.empty(),
                Optional.empty(),
                List.of("mapping: ..."),
                List.of(),
                Duration.ofMillis(200));
    }

    @Test
    void saysWhenTheProbeLostItsPacketsButTheBehaviourTestsGotThrough() throws Exception {
        BehaviorReport report = BehaviorSurvey.alongside(outcome(Optional.empty()), answered());

        assertThat(report.evidence())
                .last()
                .asString()
                .startsWith("UDP gets through: the behaviour tests were answered "
                        + "by 203.0.113.10:3478 (mapped 198.51.100.2:50000)");
    }

    @Test
    void addsNothingWhenTheProbeWasAnsweredOverUdp() throws Exception {
        BehaviorReport report = BehaviorSurvey.alongside(outcome(Optional.of(Transport.UDP)), answered());

        assertThat(report.evidence()).containsExactly("mapping: ...");
    }
}
