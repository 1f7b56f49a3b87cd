package dev.natcheck.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Rfc5952Test {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0:0:0:0:0:0:0:1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:DB8::AB, 2001:db8::ab",
        "::ffff:192.0.2.7, 192.0.2.7",
        "192.0.2.7, 192.0.2.7",
    })
    void writesTheCanonicalForm(String literal, String expected) {
        assertThat(Rfc5952.host(InetAddress.ofLiteral(literal))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} port {1} -> {2}")
    @CsvSource({"::1, 3478, '[::1]:3478'", "::, 3478, '[::]:3478'", "127.0.0.1, 9, 127.0.0.1:9"})
    void bracketsIpv6BeforeAPort(String literal, int port, String expected) {
        assertThat(Rfc5952.socket(new InetSocketAddress(InetAddress.ofLiteral(literal), port)))
                .isEqualTo(expected);
    }
}
