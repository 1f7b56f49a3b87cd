package dev.natcheck.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerSpecTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "stun.example.org, stun.example.org, 3478",
        "stun.example.org:19302, stun.example.org, 19302",
        "203.0.113.1, 203.0.113.1, 3478",
        "203.0.113.1:443, 203.0.113.1, 443",
        "[2001:db8::1]:3479, 2001:db8::1, 3479",
        "[2001:db8::1], 2001:db8::1, 3478",
        "2001:db8::1, 2001:db8::1, 3478",
        "localhost, localhost, 3478",
        "stun_1.example, stun_1.example, 3478",
    })
    void parses(String text, String host, int port) {
        assertThat(ServerSpec.parse(text)).isEqualTo(new ServerSpec(host, port));
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(
            strings = {
                "",
                ":3478",
                "stun.example.org:",
                "stun.example.org:0",
                "stun.example.org:65536",
                "stun.example.org:http",
                "[2001:db8::1",
                "[stun.example.org]:3478",
                "[2001:db8::1]x",
                "2001:db8::zz",
                "bad host",
                "-bad.example",
                "a..b",
                "1.2.3.4.5",
                "300.1.1.1"
            })
    void rejectsWithAOneLineReason(String text) {
        assertThatThrownBy(() -> ServerSpec.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .message()
                .doesNotContain("\n")
                .contains("'" + text + "'");
    }
}
