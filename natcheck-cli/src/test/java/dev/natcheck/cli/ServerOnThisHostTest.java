package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natcheck.probe.InterfaceInfo;
import dev.natcheck.stunserver.StunServer;
import dev.natcheck.stunserver.StunServerConfig;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A probe through a real non-loopback interface of this machine against a server on one of this
 * machine's own addresses: the kernel keeps the traffic on the host, and the headline says so
 * rather than a bare "no NAT". The only server contacted is the test's own, on this host; no
 * gateway is asked (NAT-PMP is off unless asked for).
 */
class ServerOnThisHostTest {

    @Test
    void aServerOnThisHostReachedThroughARealInterfaceIsNamedInTheHeadline() throws Exception {
        Optional<InterfaceInfo> nic = InterfaceInfo.system().stream()
                .filter(i -> i.up() && !i.loopback())
                .filter(i -> i.addresses().stream().anyMatch(ServerOnThisHostTest::usableIpv4))
                .findFirst();
        assumeTrue(nic.isPresent(), "no non-loopback interface with an IPv4 address");
        InetAddress own = nic.get().addresses().stream()
                .filter(ServerOnThisHostTest::usableIpv4)
                .findFirst()
                .orElseThrow();
        StunServerConfig config = StunServerConfig.loopbackEphemeral().withAddresses(List.of(own), List.of());
        try (StunServer server = StunServer.start(config)) {
            String spec = own.getHostAddress() + ":"
                    + server.boundAddresses().getFirst().getPort();
            Environment machine = new Environment(List.of(), UsageErrorsTest.OFFLINE.resolver(), InterfaceInfo::system);

            Run text = Run.of(machine, "-i", nic.get().name(), "-4", "-s", spec, "--tcp-port", "9", "--timeout", "2s");
            Run json = Run.of(
                    machine,
                    "-i",
                    nic.get().name(),
                    "-4",
                    "-s",
                    spec,
                    "--tcp-port",
                    "9",
                    "--timeout",
                    "2s",
                    "-o",
                    "json");

            assertThat(text.exitCode()).as(text.err()).isZero();
            assertThat(text.out())
                    .contains(nic.get().name() + " ipv4: no NAT, seen as " + own.getHostAddress() + ":")
                    .contains("by " + spec + " (a server on this host: the traffic never left this machine)")
                    .contains("every server was on this host, so this says nothing about the Internet");
            JsonNode probe =
                    new ObjectMapper().readTree(json.out()).get("probes").get(0);
            assertThat(probe.get("verdict").asText()).isEqualTo("NO_NAT");
            assertThat(probe.get("evidence").toString()).contains("the server " + spec + " is an address of this host");
        }
    }

    @Test
    void addressesOfAnyInterfaceAndLoopbackCountAsThisHost() {
        InterfaceInfo eth = new InterfaceInfo("eth9", true, false, List.of(InetAddress.ofLiteral("198.51.100.5")));

        assertThat(Natcheck.isThisHost(InetAddress.ofLiteral("198.51.100.5"), List.of(eth)))
                .isTrue();
        assertThat(Natcheck.isThisHost(InetAddress.ofLiteral("127.0.0.2"), List.of(eth)))
                .isTrue();
        assertThat(Natcheck.isThisHost(InetAddress.ofLiteral("::1"), List.of(eth)))
                .isTrue();
        assertThat(Natcheck.isThisHost(InetAddress.ofLiteral("198.51.100.6"), List.of(eth)))
                .isFalse();
    }

    private static boolean usableIpv4(InetAddress address) {
        return address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress();
    }
}
