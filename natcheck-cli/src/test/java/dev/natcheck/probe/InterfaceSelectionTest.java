package dev.natcheck.probe;

import static dev.natcheck.probe.FakeStunServer.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterfaceSelectionTest {

    private static final List<InterfaceInfo> HOST = List.of(
            nic("lo", true, true, "127.0.0.1", "::1"),
            nic("eth0", true, false, "192.168.1.2", "fe80::1", "fd00::2", "2001:db8::2"),
            nic("eth1", false, false, "10.0.0.2"),
            nic("wlan0", true, false, "fe80::5"),
            nic("tailscale0", true, false, "100.101.102.103", "fd7a:115c:a1e0::1"),
            nic("usb0", true, false, "169.254.3.4"));

    private static final Set<Family> BOTH = Set.of(Family.IPV4, Family.IPV6);

    @Test
    void probesEveryUpNonLoopbackInterfaceWithAUsableAddress() {
        InterfaceSelection.Selected selected =
                InterfaceSelection.select(HOST, new InterfaceSelection.Request(Set.of(), BOTH, false));

        assertThat(selected.targets())
                .extracting(t -> t.interfaceName() + " " + t.family().wireName() + " "
                        + dev.natcheck.address.AddressText.format(t.address()) + (t.overlay() ? " overlay" : ""))
                .containsExactly(
                        "eth0 ipv4 192.168.1.2",
                        "eth0 ipv6 2001:db8::2",
                        "tailscale0 ipv4 100.101.102.103 overlay",
                        "tailscale0 ipv6 fd7a:115c:a1e0::1 overlay");
        assertThat(selected.skipped())
                .contains(
                        "eth1: down", "lo: loopback", "wlan0: no usable ipv6 address", "usb0: no usable ipv4 address");
    }

    @ParameterizedTest(name = "-i {0} {1}: {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "eth0 | ipv4 | eth0/ipv4",
                "eth0 | ipv6 | eth0/ipv6",
                "lo | ipv4,ipv6 | lo/ipv4 lo/ipv6",
                "eth0,tailscale0 | ipv6 | eth0/ipv6 tailscale0/ipv6",
            })
    void narrowsByInterfaceAndFamily(String names, String families, String expected) {
        Set<Family> wanted = Set.copyOf(Arrays.stream(families.split(","))
                .map(f -> f.equals("ipv4") ? Family.IPV4 : Family.IPV6)
                .toList());
        InterfaceSelection.Selected selected = InterfaceSelection.select(
                HOST, new InterfaceSelection.Request(Set.of(names.split(",")), wanted, false));

        assertThat(selected.targets())
                .extracting(t -> t.interfaceName() + "/" + t.family().wireName())
                .containsExactlyInAnyOrder(expected.split(" "));
    }

    @Test
    void localModeAddsLoopback() {
        InterfaceSelection.Selected selected =
                InterfaceSelection.select(HOST, new InterfaceSelection.Request(Set.of("lo"), BOTH, true));

        assertThat(selected.targets())
                .allSatisfy(t -> assertThat(t.loopback()).isTrue())
                .extracting(ProbeTarget::address)
                .containsExactly(ip("127.0.0.1"), ip("::1"));
    }

    @Test
    void anUnknownInterfaceIsAnErrorNamingTheKnownOnes() {
        assertThatThrownBy(() ->
                        InterfaceSelection.select(HOST, new InterfaceSelection.Request(Set.of("eth9"), BOTH, false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no interface named 'eth9' (have: eth0, eth1, lo, tailscale0, usb0, wlan0)");
    }

    @ParameterizedTest(name = "{0} overlay={1}")
    @CsvSource({
        "tailscale0, true",
        "wg0, true",
        "tun0, true",
        "utun3, true",
        "zt5u3a, true",
        "eth0, false",
        "wlan0, false",
        "enp3s0, false"
    })
    void recognisesOverlayNames(String name, boolean overlay) {
        assertThat(InterfaceSelection.isOverlay(name)).isEqualTo(overlay);
    }

    private static InterfaceInfo nic(String name, boolean up, boolean loopback, String... addresses) {
        List<InetAddress> list =
                Arrays.stream(addresses).map(FakeStunServer::ip).toList();
        return new InterfaceInfo(name, up, loopback, list);
    }
}
