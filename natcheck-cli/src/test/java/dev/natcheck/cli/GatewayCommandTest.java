package dev.natcheck.cli;

import static dev.natcheck.gateway.ScriptedGateway.ip;
import static dev.natcheck.gateway.ScriptedGateway.isPcp;
import static dev.natcheck.gateway.ScriptedGateway.lifetime;
import static dev.natcheck.gateway.ScriptedGateway.mapResponse;
import static dev.natcheck.gateway.ScriptedGateway.pcpResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natcheck.gateway.GatewayEndpoint;
import dev.natcheck.gateway.ScriptedGateway;
import dev.natcheck.stunserver.StunServer;
import dev.natcheck.stunserver.StunServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateway stage through the command line, against natcheck's own STUN server and a scripted
 * gateway on loopback handed in through the environment (never the machine's real gateway).
 */
class GatewayCommandTest {

    /**
     * Scripted gateways with a budget a loaded test machine cannot miss: what is tested here is the
     * wiring, not how fast a gateway answers.
     */
    record Scripted(Map<String, GatewayEndpoint> byInterface) implements Environment.Gateways {
        @Override
        public Duration budget() {
            return Duration.ofSeconds(2);
        }
    }

    /** The offline environment, with {@code gateway} as the default gateway of "lo". */
    private static Environment withGateway(ScriptedGateway gateway) {
        return new Environment(
                List.of(),
                UsageErrorsTest.OFFLINE.resolver(),
                UsageErrorsTest.OFFLINE.interfaces(),
                new Scripted(Map.of("lo", gateway.endpoint("lo"))));
    }

    /** A PCP gateway whose MAP answer names {@code external}. */
    private static ScriptedGateway pcpGateway(String external) throws Exception {
        return ScriptedGateway.start().onPortControl((request, g, from) -> {
            if (isPcp(request, 0)) {
                g.reply(from, pcpResponse(request, 0));
            } else if (isPcp(request, 1)) {
                g.reply(from, mapResponse(request, 0, ip(external)));
            }
        });
    }

    private static String[] args(StunServer server, String... more) {
        List<String> all = new java.util.ArrayList<>(List.of(
                "-i",
                "lo",
                "-4",
                "-o",
                "json",
                "-s",
                "127.0.0.1:" + server.boundAddresses().getFirst().getPort()));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void theGatewayIsAskedByDefaultAndItsWordIsInTheDocument() throws Exception {
        try (StunServer server = StunServer.start(StunServerConfig.loopbackEphemeral());
                ScriptedGateway gateway = pcpGateway("100.64.0.9")) {
            Run run = Run.of(withGateway(gateway), args(server));

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode probe =
                    new ObjectMapper().readTree(run.out()).get("probes").get(0);
            assertThat(probe.get("gateway").get("protocol").asText()).isEqualTo("pcp");
            assertThat(probe.get("gateway").get("address").asText()).isEqualTo("127.0.0.1");
            assertThat(probe.get("gateway").get("external").asText()).isEqualTo("100.64.0.9");
            assertThat(probe.get("gateway").get("result").asText()).isEqualTo("ok");
            assertThat(probe.get("evidence").toString()).contains("reports its external address 100.64.0.9");
            // Loopback to loopback is no NAT, whatever the gateway says.
            assertThat(probe.get("verdict").asText()).isEqualTo("NO_NAT");
            assertThat(probe.get("nat_layers").asInt()).isZero();
            assertThat(gateway.portControlRequests())
                    .as("the PCP mapping is deleted before natcheck exits")
                    .anySatisfy(r -> assertThat(isPcp(r, 1) && lifetime(r) == 0).isTrue());
        }
    }

    @Test
    void noGatewaySendsNothingToTheGateway() throws Exception {
        try (StunServer server = StunServer.start(StunServerConfig.loopbackEphemeral());
                ScriptedGateway gateway = pcpGateway("100.64.0.9")) {
            Run run = Run.of(withGateway(gateway), args(server, "--no-gateway"));

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(new ObjectMapper()
                            .readTree(run.out())
                            .get("probes")
                            .get(0)
                            .get("gateway")
                            .isNull())
                    .isTrue();
            assertThat(gateway.portControlRequests()).isEmpty();
            assertThat(gateway.ssdpRequests()).isEmpty();
        }
    }

    @Test
    void localNeverAsksAGatewayEvenWhenLoopbackHadOne() throws Exception {
        try (ScriptedGateway gateway = pcpGateway("100.64.0.9")) {
            Environment loopbackGateway = new Environment(
                    List.of(),
                    UsageErrorsTest.OFFLINE.resolver(),
                    Environment.system().interfaces(),
                    new Scripted(Map.of("lo", gateway.endpoint("lo"), "lo0", gateway.endpoint("lo0"))));
            Run run = Run.of(loopbackGateway, "--local", "-4", "-o", "json");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(gateway.portControlRequests()).isEmpty();
            assertThat(gateway.ssdpRequests()).isEmpty();
        }
    }

    @Test
    void theOldNatPmpFlagStillParsesAndSaysItIsNoLongerNeeded() throws Exception {
        try (StunServer server = StunServer.start(StunServerConfig.loopbackEphemeral());
                ScriptedGateway gateway = pcpGateway("192.168.100.2")) {
            Run run = Run.of(withGateway(gateway), args(server, "--nat-pmp"));

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).contains("--nat-pmp is no longer needed");
            assertThat(new ObjectMapper()
                            .readTree(run.out())
                            .get("probes")
                            .get(0)
                            .get("gateway")
                            .get("external")
                            .asText())
                    .as(run.out())
                    .isEqualTo("192.168.100.2");
        }
    }

    @Test
    void ipv6ProbesAskNoGateway() throws Exception {
        try (ScriptedGateway gateway = pcpGateway("100.64.0.9")) {
            Run.of(withGateway(gateway), "-i", "lo", "-6", "-o", "json", "-s", "[::1]:9", "--timeout", "300ms");

            assertThat(gateway.portControlRequests()).isEmpty();
            assertThat(gateway.ssdpRequests()).isEmpty();
        }
    }
}
