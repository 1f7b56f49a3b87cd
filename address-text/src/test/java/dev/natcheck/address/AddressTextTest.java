package dev.natcheck.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTextTest {

    @ParameterizedTest(name = "{0} formats as {1}")
    @CsvSource({
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "0:0:0:0:0:0:0:1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "fd00:0:0:0:0:0:0:2, fd00::2",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "192.0.2.1, 192.0.2.1",
        "2001:DB8::AB, 2001:db8::ab",
        "::ffff:192.0.2.7, 192.0.2.7",
    })
    void formatsCanonically(String literal, String expected) {
        assertThat(AddressText.format(AddressText.parseAddress(literal).orElseThrow()))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"198.51.100.7:40000", "[2001:db8::7]:40000", "0.0.0.0:0", "[::1]:65535"})
    void roundTripsSocketAddresses(String text) {
        InetSocketAddress parsed = AddressText.parseSocketAddress(text).orElseThrow();
        assertThat(AddressText.format(parsed)).isEqualTo(text);
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(
            strings = {
                "",
                "198.51.100.7",
                "198.51.100.7:",
                "198.51.100.7:65536",
                "198.51.100.7:-1",
                "198.51.100.7:+1",
                "198.51.100.7:0080",
                "198.51.100.7:80 ",
                " 198.51.100.7:80",
                "1.2.3:80",
                "1.2.3.4.5:80",
                "256.1.1.1:80",
                "01.2.3.4:80",
                "2001:db8::7:40000",
                "[2001:db8::7]",
                "[198.51.100.7]:80",
                "[2001:db8::7]:x",
                "example.com:80",
                "[fe80::1%eth0]:80",
                "1.2.3.4:80\n"
            })
    void rejectsAnythingButTheStrictForm(String text) {
        assertThat(AddressText.parseSocketAddress(text)).isEmpty();
    }

    @Test
    void writesAnIpv4MappedAddressAsTheIpv4AddressItCarriesAndNoZone() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 198, 51, 100, 7};
        byte[] linkLocal = AddressText.parseAddress("fe80::7").orElseThrow().getAddress();

        assertThat(AddressText.format(Inet6Address.getByAddress(null, mapped, -1), 40000))
                .isEqualTo("198.51.100.7:40000");
        assertThat(AddressText.format(Inet6Address.getByAddress(null, linkLocal, 2)))
                .isEqualTo("fe80::7");
    }

    @ParameterizedTest(name = "{0} port {1} -> {2}")
    @CsvSource({"::1, 3478, '[::1]:3478'", "::, 3478, '[::]:3478'", "127.0.0.1, 9, 127.0.0.1:9"})
    void bracketsIpv6BeforeAPort(String literal, int port, String expected) {
        assertThat(AddressText.format(AddressText.parseAddress(literal).orElseThrow(), port))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} port {1} -> {2}")
    @CsvSource({"stun.example.org, 3478, stun.example.org:3478", "2001:db8::1, 3478, [2001:db8::1]:3478"})
    void bracketsOnlyIpv6HostsNextToAPort(String host, int port, String expected) {
        assertThat(AddressText.hostAndPort(host, port)).isEqualTo(expected);
        assertThat(AddressText.format(InetSocketAddress.createUnresolved("stun.example.org", 1)))
                .isEqualTo("stun.example.org:1");
    }
}
