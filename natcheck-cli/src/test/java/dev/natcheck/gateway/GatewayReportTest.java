package dev.natcheck.gateway;

import static dev.natcheck.gateway.ScriptedGateway.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which of a gateway's answers counts. */
class GatewayReportTest {

    private static final GatewayEndpoint ENDPOINT = GatewayEndpoint.standard("eth0", ip("192.168.1.1"));

    private static GatewayAnswer answer(Protocol protocol, String external, String result) {
        return new GatewayAnswer(
                protocol,
                new InetSocketAddress(ip("192.168.1.1"), 5351),
                Optional.ofNullable(external).map(ScriptedGateway::ip),
                result,
                protocol.label() + " " + result);
    }

    @Test
    void aCleanAnswerWithAnAddressWinsOverAnErrorThatNamesOne() {
        GatewayReport report = new GatewayReport(
                ENDPOINT,
                List.of(
                        answer(Protocol.PCP, "100.64.1.2", "no-resources"),
                        answer(Protocol.UPNP, "198.51.100.2", GatewayAnswer.OK)));

        assertThat(report.decisive().orElseThrow().protocol()).isEqualTo(Protocol.UPNP);
        assertThat(report.external()).contains(ip("198.51.100.2"));
        assertThat(report.evidence()).last().asString().contains("name different external addresses", "UPnP IGD");
    }

    @Test
    void pcpComesBeforeUpnpWhenBothAreClean() {
        GatewayReport report = new GatewayReport(
                ENDPOINT,
                List.of(
                        answer(Protocol.UPNP, "198.51.100.2", GatewayAnswer.OK),
                        answer(Protocol.PCP, "198.51.100.2", GatewayAnswer.OK)));

        assertThat(report.decisive().orElseThrow().protocol()).isEqualTo(Protocol.PCP);
        assertThat(report.evidence()).hasSize(2);
    }

    @Test
    void anErrorThatNamesAnAddressStillGivesTheAddress() {
        GatewayReport report = new GatewayReport(
                ENDPOINT,
                List.of(
                        answer(Protocol.PCP, "100.64.1.2", "no-resources"),
                        answer(Protocol.UPNP, null, GatewayAnswer.NO_EXTERNAL_ADDRESS)));

        assertThat(report.external()).contains(ip("100.64.1.2"));
        assertThat(report.decisive().orElseThrow().result()).isEqualTo("no-resources");
    }

    @Test
    void withoutAnyAddressTheFirstRealAnswerCountsNotSilence() {
        GatewayReport report = new GatewayReport(
                ENDPOINT,
                List.of(
                        answer(Protocol.PCP, null, GatewayAnswer.NO_ANSWER),
                        answer(Protocol.UPNP, null, "upnp-error-501")));

        assertThat(report.decisive().orElseThrow().result()).isEqualTo("upnp-error-501");
        assertThat(report.external()).isEmpty();
    }

    @Test
    void silenceEverywhereIsSilence() {
        GatewayReport report = new GatewayReport(
                ENDPOINT,
                List.of(
                        answer(Protocol.PCP, null, GatewayAnswer.REFUSED),
                        answer(Protocol.UPNP, null, GatewayAnswer.NO_ANSWER)));

        assertThat(report.decisive().orElseThrow().result()).isEqualTo("refused");
        assertThat(report.external()).isEmpty();
    }
}
