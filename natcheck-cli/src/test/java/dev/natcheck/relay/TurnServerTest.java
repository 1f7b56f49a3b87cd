package dev.natcheck.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How --turn is read: HOST[:PORT] and RFC 7065 TURN URIs, and what is refused and why. */
class TurnServerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "turn.example.org           | turn.example.org | 3478 | UDP | turn.example.org:3478",
                "turn.example.org:443       | turn.example.org | 443  | UDP | turn.example.org:443",
                "198.51.100.7               | 198.51.100.7     | 3478 | UDP | 198.51.100.7:3478",
                "[2001:db8::1]:3479         | 2001:db8::1      | 3479 | UDP | [2001:db8::1]:3479",
                "turn:turn.example.org      | turn.example.org | 3478 | UDP | turn.example.org:3478",
                "TURN:turn.example.org:80?transport=tcp | turn.example.org | 80 | TCP | turn:turn.example.org:80?transport=tcp",
                "turn:[2001:db8::1]?transport=TCP | 2001:db8::1 | 3478 | TCP | turn:[2001:db8::1]:3478?transport=tcp",
                "turn:198.51.100.7:3478?transport=udp | 198.51.100.7 | 3478 | UDP | 198.51.100.7:3478"
            })
    void parses(String text, String host, int port, TurnServer.Transport transport, String shown) {
        TurnServer server = TurnServer.parse(text.strip());

        assertThat(server.spec().host()).isEqualTo(host);
        assertThat(server.spec().port()).isEqualTo(port);
        assertThat(server.transport()).isEqualTo(transport);
        assertThat(server.toString()).isEqualTo(shown);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "turns:turn.example.org:5349 | TURN over TLS (turns:) is not supported",
                "stun:stun.example.org       | is a STUN server, not a TURN relay",
                "turn:example.org?transport=sctp | unknown '?transport=sctp'",
                "turn:example.org:99999      | port '99999' is not a number in 1..65535",
                "turn:                       | empty host",
                "bad host name!              | is neither an IP address nor a host name"
            })
    void refuses(String text, String reason) {
        assertThatThrownBy(() -> TurnServer.parse(text.strip()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
