package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natcheck.stunserver.StunServer;
import dev.natcheck.stunserver.StunServerConfig;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The whole pipeline against the project's own stun-server and whoami-server on loopback. */
class LocalModeTest {

    @Test
    void localRunsTheFullCheckOnLoopbackForBothFamilies() throws Exception {
        Run run = Run.of(Environment.system(), "--local", "-o", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode probes = new ObjectMapper().readTree(run.out()).get("probes");
        assertThat(probes).isNotEmpty();
        for (JsonNode probe : probes) {
            assertThat(probe.get("interface").asText()).isEqualTo(loopbackName());
            assertThat(probe.get("transport").asText()).isEqualTo("udp");
            assertThat(probe.get("verdict").asText()).isEqualTo("NO_NAT");
            assertThat(probe.get("nat").asText()).isEqualTo("NONE");
            assertThat(probe.get("mapped").asText())
                    .isEqualTo(probe.get("local").asText());
            assertThat(probe.get("mapping_varies_by_destination").asBoolean(true))
                    .isFalse();
            assertThat(probe.get("evidence").toString()).contains("is loopback", "second binding to");
        }
        assertThat(probes.get(0).get("family").asText()).isEqualTo("ipv4");
        assertThat(probes.get(0).get("evidence").toString()).contains("second binding to OTHER-ADDRESS 127.0.0.2:");
    }

    @Test
    void localWithMinusFourProbesIpv4Only() throws Exception {
        Run run = Run.of(Environment.system(), "--local", "-4", "-o", "brief");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).matches("lo\\S*\tipv4\tNO_NAT\t127\\.0\\.0\\.1:\\d+\t0\n");
    }

    @Test
    void anExplicitServerAndLoopbackInterfaceWorkWithTheRealStunServer() throws Exception {
        try (StunServer server =
                StunServer.start(StunServerConfig.loopbackEphemeral(InetAddress.getByName("127.0.0.2")))) {
            Run run = Run.of(
                    UsageErrorsTest.OFFLINE,
                    "-i",
                    "lo",
                    "-4",
                    "-s",
                    "127.0.0.1:" + server.boundAddresses().getFirst().getPort(),
                    "--tcp-port",
                    "9");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out())
                    .contains(
                            "lo ipv4: no NAT, seen as 127.0.0.1:",
                            "endpoint-independent mapping",
                            "(a server on this host: the traffic never left this machine)");
        }
    }

    private static String loopbackName() throws Exception {
        for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            if (nic.isLoopback()) {
                return nic.getName();
            }
        }
        throw new AssertionError("no loopback interface");
    }
}
