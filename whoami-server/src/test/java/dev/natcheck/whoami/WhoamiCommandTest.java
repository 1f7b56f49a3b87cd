package dev.natcheck.whoami;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.command.DurationConverter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The command line as a user meets it: {@code execute} with captured stdout and stderr. */
class WhoamiCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = WhoamiCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      --bogus                        | Unknown option: '--bogus'
      --port 70000                   | --port must be between 0 and 65535, got 70000
      --port -1                      | --port must be between 0 and 65535, got -1
      --port http                    | Invalid value for option '--port': 'http' is not an int
      --port                         | Missing required parameter for option '--port'
      --max-connections 0            | --max-connections must be at least 1, got 0
      --idle-timeout 0s              | --idle-timeout must be positive, got PT0S
      --idle-timeout soon            | 'soon' is not a duration
      --listen example.com           | 'example.com' is not an IP address literal
      --listen 10.0.0.256            | '10.0.0.256' is not an IP address literal
      --listen 127.0.0.1 extra       | Unmatched argument at index 2: 'extra'
      """)
    void badFlagsExit2WithAOneLineReason(String args, String reason) {
        int status = run(args.split(" "));

        assertThat(status).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("whoami-server: ")
                        .contains(reason)
                        .endsWith("(see 'whoami-server --help')"));
    }

    @Test
    void helpListsEveryFlagOnStdout() {
        int status = run("--help");

        assertThat(status).isZero();
        assertThat(out.toString())
                .contains(
                        "--listen=ADDR",
                        "--port=PORT",
                        "--max-connections=N",
                        "--idle-timeout=DURATION",
                        "--version",
                        "default: 8080");
        // Wrapped at spaces only: examples and parentheses stay whole.
        assertThat(out.toString())
                .contains("(198.51.100.7:40000 or [2001:db8::7]:40000)", "(default: 10s; e.g. 500ms, 10s, 2m)");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void versionNamesTheProgram() {
        int status = run("--version");

        assertThat(status).isZero();
        assertThat(out.toString()).startsWith("whoami-server ");
    }

    @Test
    void flagsBecomeTheServerConfiguration() {
        WhoamiCommand command = new WhoamiCommand();
        new CommandLine(command)
                .parseArgs(
                        "--listen",
                        "127.0.0.1",
                        "--listen",
                        "[::1]",
                        "--port",
                        "0",
                        "--max-connections",
                        "7",
                        "--idle-timeout",
                        "1500ms");

        assertThat(command.config())
                .isEqualTo(new WhoamiConfig(
                        List.of(InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("::1")),
                        0,
                        7,
                        Duration.ofMillis(1500)));
    }

    @Test
    void defaultsAreEveryAddressOnPort8080() {
        WhoamiCommand command = new WhoamiCommand();
        new CommandLine(command).parseArgs();

        assertThat(command.config()).isEqualTo(WhoamiConfig.defaults());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      500ms | PT0.5S
      10s   | PT10S
      2m    | PT2M
      1h    | PT1H
      PT3S  | PT3S
      """)
    void readsDurations(String text, String iso) {
        assertThat(new DurationConverter().convert(text)).isEqualTo(Duration.parse(iso));
    }
}
