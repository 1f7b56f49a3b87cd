package dev.natcheck.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.address.AddressText;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressScopeTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "0.0.0.0, UNSPECIFIED",
        "127.0.0.1, LOOPBACK",
        "127.0.0.2, LOOPBACK",
        "169.254.1.1, LINK_LOCAL",
        "10.0.0.1, PRIVATE",
        "172.16.0.1, PRIVATE",
        "172.31.255.255, PRIVATE",
        "172.32.0.1, PUBLIC",
        "192.168.1.1, PRIVATE",
        "100.64.0.1, SHARED",
        "100.127.255.255, SHARED",
        "100.128.0.1, PUBLIC",
        "100.63.255.255, PUBLIC",
        "192.0.2.1, PUBLIC",
        "198.51.100.1, PUBLIC",
        "203.0.113.1, PUBLIC",
        "8.8.8.8, PUBLIC",
        "224.0.0.1, MULTICAST",
        "::, UNSPECIFIED",
        "::1, LOOPBACK",
        "fe80::1, LINK_LOCAL",
        "febf::1, LINK_LOCAL",
        "fc00::1, ULA",
        "fd00::2, ULA",
        "ff02::1, MULTICAST",
        "2001:db8::1, PUBLIC",
        "2606:4700::1, PUBLIC",
    })
    void scopesAddresses(String literal, AddressScope expected) {
        assertThat(AddressScope.of(AddressText.parseAddress(literal).orElseThrow()))
                .isEqualTo(expected);
    }
}
