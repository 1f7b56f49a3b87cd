package dev.natcheck.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
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
}
