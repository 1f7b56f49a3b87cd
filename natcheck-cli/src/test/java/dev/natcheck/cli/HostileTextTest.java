package dev.natcheck.cli;

import static dev.natcheck.cli.CheckCommandTest.closedTcpPort;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.stun.ErrorCode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A hostile STUN server puts terminal escapes, a bell, a carriage return, a newline, a C1 CSI and
 * a right-to-left override into its error reason phrase. Whatever natcheck prints of it, on any
 * output and at any log level, probe path and behaviour path alike, is escaped: nothing a
 * terminal would obey reaches stdout or stderr.
 */
class HostileTextTest {

    /** ESC [31m, ESC ]0;title BEL, CR LF, C1 CSI, U+202E, and a backslash sequence of the server's own. */
    static final String REASON = "\u001b[31mRED\u001b[0m \u001b]0;owned\u0007\r\nfake line \u009b2J \u202eevil \\x1b";

    static Stream<List<String>> invocations() {
        return Stream.of(
                List.of(),
                List.of("-v"),
                List.of("-vv"),
                List.of("-o", "json", "-vv"),
                List.of("-o", "brief", "-vv"),
                List.of("--behavior", "-v"),
                List.of("--behavior", "-vv", "-o", "json"));
    }

    @ParameterizedTest(name = "natcheck {0}")
    @MethodSource("invocations")
    void theServersWordsReachNoTerminalRaw(List<String> options) throws Exception {
        try (HostileStunServer stun = HostileStunServer.start(
                InetAddress.getLoopbackAddress(), HostileStunServer.error(ErrorCode.SERVER_ERROR, REASON))) {
            List<String> args = new ArrayList<>(List.of(
                    "-i",
                    "lo",
                    "-4",
                    "-s",
                    stun.spec(),
                    "--tcp-port",
                    String.valueOf(closedTcpPort()),
                    "--timeout",
                    "1s"));
            args.addAll(options);

            Run run = Run.of(UsageErrorsTest.OFFLINE, args.toArray(String[]::new));

            assertThat(stun.requests).as("the server was asked").hasPositiveValue();
            assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
            assertNothingRaw(run.out());
            assertNothingRaw(run.err());
            if (options.contains("-v") && !options.contains("json")) {
                // Shown, escaped, with the server's own backslash doubled so it cannot pose as an escape.
                assertThat(run.out())
                        .contains(
                                "\\x1b[31mRED\\x1b[0m \\x1b]0;owned\\x07\\r\\nfake line \\u009b2J \\u202eevil \\\\x1b");
            }
        }
    }

    /** No C0 control but newline, no DEL, no C1 control, no bidirectional override. */
    static void assertNothingRaw(String text) {
        text.chars()
                .forEach(c -> assertThat(c == '\n'
                                || c == '\t'
                                || (c >= 0x20 && c != 0x7F && (c < 0x80 || c > 0x9F) && c != 0x202E))
                        .as("character U+%04X in:%n%s", c, text)
                        .isTrue());
    }
}
