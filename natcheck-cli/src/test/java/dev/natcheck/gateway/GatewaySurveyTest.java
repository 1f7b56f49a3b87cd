package dev.natcheck.gateway;

import static dev.natcheck.gateway.ScriptedGateway.ip;
import static dev.natcheck.gateway.ScriptedGateway.isPcp;
import static dev.natcheck.gateway.ScriptedGateway.mapResponse;
import static dev.natcheck.gateway.ScriptedGateway.pcpResponse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several gateways asked at once inside one budget. */
class GatewaySurveyTest {

    private static ScriptedGateway.PortControlScript pcp(String external) {
        return (request, g, from) -> {
            if (isPcp(request, 0)) {
                g.reply(from, pcpResponse(request, 0));
            } else if (isPcp(request, 1)) {
                g.reply(from, mapResponse(request, 0, ip(external)));
            }
        };
    }

    @Test
    void asksEveryGatewayAtOnceAndReportsEachByInterface() throws Exception {
        try (ScriptedGateway first = ScriptedGateway.start().onPortControl(pcp("100.64.0.9"));
                ScriptedGateway second = ScriptedGateway.start(ip("127.0.0.2")).onPortControl(pcp("192.168.0.2"));
                ScriptedGateway silent = ScriptedGateway.start(ip("127.0.0.3"))) {
            Map<String, GatewayReport> reports;
            try (GatewaySurvey survey = GatewaySurvey.start(
                    List.of(
                            new GatewaySurvey.Ask(first.endpoint("eth0"), ip("127.0.0.1")),
                            new GatewaySurvey.Ask(second.endpoint("eth1"), ip("127.0.0.1")),
                            new GatewaySurvey.Ask(silent.endpoint("eth2"), ip("127.0.0.1"))),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(2))) {
                reports = survey.reports();
            }

            assertThat(reports).containsOnlyKeys("eth0", "eth1", "eth2");
            assertThat(reports.get("eth0").external()).contains(ip("100.64.0.9"));
            assertThat(reports.get("eth1").external()).contains(ip("192.168.0.2"));
            assertThat(reports.get("eth2").external()).isEmpty();
            assertThat(reports.get("eth2").answers())
                    .extracting(GatewayAnswer::protocol, GatewayAnswer::result)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(Protocol.PCP, "no-answer"),
                            org.assertj.core.groups.Tuple.tuple(Protocol.UPNP, "no-answer"));
            // Closed: every MAP was deleted before close returned.
            for (ScriptedGateway gateway : List.of(first, second)) {
                assertThat(gateway.portControlRequests())
                        .filteredOn(r -> isPcp(r, 1))
                        .extracting(ScriptedGateway::lifetime)
                        .last()
                        .isEqualTo(0);
            }
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aSlowGatewayIsHeardWhileTheProbesStillRunButNotAfter() throws Exception {
        ScriptedGateway.PortControlScript slow = (request, g, from) -> {
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pcp("100.64.0.9").answer(request, g, from);
        };
        try (ScriptedGateway gateway = ScriptedGateway.start().onPortControl(slow)) {
            GatewaySurvey.Ask ask = new GatewaySurvey.Ask(gateway.endpoint("eth0"), ip("127.0.0.1"));
            Map<String, GatewayReport> whileProbing;
            try (GatewaySurvey survey = GatewaySurvey.start(List.of(ask), Duration.ZERO, Duration.ofSeconds(10))) {
                Thread.sleep(1500); // the probes take their time; the gateway gets it too
                whileProbing = survey.reports();
            }
            Map<String, GatewayReport> afterProbes;
            try (GatewaySurvey survey = GatewaySurvey.start(List.of(ask), Duration.ZERO, Duration.ofSeconds(10))) {
                afterProbes = survey.reports(); // the probes are done at once: no time left
            }

            assertThat(whileProbing.get("eth0").external()).contains(ip("100.64.0.9"));
            assertThat(afterProbes.get("eth0").external()).isEmpty();
        }
    }

    @Test
    void nothingToAskIsAnEmptyReport() throws Exception {
        try (GatewaySurvey survey = GatewaySurvey.none()) {
            assertThat(survey.reports()).isEmpty();
        }
    }
}
