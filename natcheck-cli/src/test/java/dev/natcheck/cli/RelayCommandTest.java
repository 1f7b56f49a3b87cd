package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natcheck.stun.Coturn;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code natcheck relay} the way a user runs it, against coturn on loopback: the text and JSON
 * reports, the exit status, where passwords and secrets may come from, and every bad flag (exit
 * 2, one line, nothing on stdout, the secret never echoed).
 */
class RelayCommandTest {

    private static final String USER = "alice";
    private static final String PASSWORD = "wonder-land 7";
    private static final String SECRET = "natcheck shared secret";
    private static final Map<String, String> VARIABLES =
            Map.of("TURN_PASSWORD", PASSWORD, "TURN_SECRET", SECRET, "EMPTY", "");

    private static Coturn coturn;
    private static Coturn restCoturn;

    @TempDir
    static Path dir;

    record Run(int exitCode, String out, String err) {}

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Coturn.installed(), "coturn's turnserver is not installed (apt-get install coturn)");
        coturn = Coturn.withUser(USER, PASSWORD);
        restCoturn = Coturn.withSharedSecret(SECRET);
    }

    @AfterAll
    static void stop() throws Exception {
        if (coturn != null) {
            coturn.close();
        }
        if (restCoturn != null) {
            restCoturn.close();
        }
    }

    static Run relay(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Natcheck.commandLine(new Natcheck(UsageErrorsTest.OFFLINE));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        RelayCommand relay = commandLine.getSubcommands().get("relay").getCommand();
        relay.turn.variables = VARIABLES;
        String[] full = Stream.concat(Stream.of("relay"), Stream.of(args)).toArray(String[]::new);
        int code = commandLine.execute(full);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theTextReportSaysWhichWorksTheFastestAndThatItWasReleased() throws Exception {
        int silent;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(Coturn.LOOPBACK, 0))) {
            silent = probe.getLocalPort();
        }
        String closed = Coturn.LOOPBACK.getHostAddress() + ":" + silent;

        Run run = relay(
                "--turn", coturn.udp(), "--turn", closed, "--turn-user", USER, "--turn-password", "env:TURN_PASSWORD");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String[] lines = run.out().split("\n");
        assertThat(lines[0])
                .matches("1 of 2 relays works from here; fastest: "
                        + coturn.udp().replace(".", "\\.")
                        + ", \\d+\\.\\d ms through the relay \\(credentials: user alice\\)\\.");
        assertThat(lines[2]).startsWith("RELAY").contains("VIA", "RESULT", "ALLOCATE", "RTT", "RELAYED", "RELEASED");
        assertThat(lines[3])
                .startsWith(coturn.udp())
                .contains(" udp ", " OK ", " yes")
                .endsWith("<- fastest");
        assertThat(lines[4]).startsWith(closed).contains(" REFUSED ").doesNotContain("fastest");
        assertThat(run.out())
                .contains(coturn.udp() + ": relayed address 127.0.0.1:")
                .contains("3 of 3 echoes came back through the relay")
                .contains(closed + ": ICMP port unreachable from " + closed);
        assertThat(run.out() + run.err()).doesNotContain(PASSWORD);
    }

    @Test
    void verboseTextAddsTheRoundTripsTheAddressesAndWhatElseWasSeen() {
        Run run = relay("--turn", coturn.udp(), "--turn-user", USER, "--turn-password", "env:TURN_PASSWORD", "-v");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("  round trip to the relay itself: ")
                .contains("  round trips through the relay: ")
                .contains("  lifetime 600 s; channel bound")
                .contains("asked for credentials (401, realm \"natcheck.test\"), asked again with them");
    }

    @Test
    void theJsonReportHasEveryFieldWithItsType() throws Exception {
        Path passwordFile = Files.writeString(dir.resolve("password"), PASSWORD + "\n");

        Run run = relay(
                "--turn", coturn.tcp(), "--turn-user", USER, "--turn-password", "file:" + passwordFile, "-o", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.get("relay_schema").asInt()).isEqualTo(1);
        assertThat(doc.get("credentials").asText()).isEqualTo("user alice");
        assertThat(doc.get("interrupted").asBoolean()).isFalse();
        assertThat(doc.get("fastest").asText()).isEqualTo(coturn.tcp());
        JsonNode relay = doc.get("relays").get(0);
        assertThat(relay.get("relay").asText()).isEqualTo(coturn.tcp());
        assertThat(relay.get("transport").asText()).isEqualTo("tcp");
        assertThat(relay.get("address").asText()).isEqualTo(coturn.udp());
        assertThat(relay.get("result").asText()).isEqualTo("OK");
        assertThat(relay.get("fastest").asBoolean()).isTrue();
        assertThat(relay.get("relayed").asText()).startsWith("127.0.0.1:");
        assertThat(relay.get("mapped").asText()).isEqualTo(relay.get("local").asText());
        assertThat(relay.get("lifetime_s").asLong()).isEqualTo(600);
        assertThat(relay.get("allocation_ms").isNumber()).isTrue();
        assertThat(relay.get("server_rtt_ms").isNumber()).isTrue();
        assertThat(relay.get("rtt_ms").get("samples").asInt()).isEqualTo(1);
        assertThat(relay.get("rtt_ms").get("min").asDouble())
                .isLessThanOrEqualTo(relay.get("rtt_ms").get("avg").asDouble());
        assertThat(relay.get("echoes_sent").asInt()).isEqualTo(1);
        assertThat(relay.get("echoes_back").asInt()).isEqualTo(1);
        assertThat(relay.get("channel_bound").asBoolean()).isTrue();
        assertThat(relay.get("released").asText()).isEqualTo("RELEASED");
        assertThat(relay.get("evidence").isArray()).isTrue();
    }

    @Test
    void aSharedSecretFromTheEnvironmentMakesTimeLimitedCredentials() {
        Run run = relay("--turn", restCoturn.udp(), "--turn-secret", "env:TURN_SECRET", "-o", "json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("\"credentials\": \"shared secret (TURN REST API), user natcheck\"");
        assertThat(run.out() + run.err()).doesNotContain(SECRET);
    }

    @Test
    void noWorkingRelayExitsOne() {
        Run run = relay("--turn", coturn.udp(), "--turn-user", USER, "--turn-password", "env:TURN_SECRET");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .startsWith("The relay does not work from here (credentials: user alice).")
                .contains("wrong credentials: the relay refused user alice");
    }

    static Stream<Arguments> badFlags() {
        return Stream.of(
                Arguments.of(new String[] {}, "give at least one --turn RELAY"),
                Arguments.of(new String[] {"--turn", "turns:example.org"}, "TURN over TLS (turns:) is not supported"),
                Arguments.of(
                        new String[] {"--turn", "127.0.0.1", "--turn-user", "a", "--turn-password", "hunter2"},
                        "give file:PATH or env:NAME, never the secret itself"),
                Arguments.of(
                        new String[] {"--turn", "127.0.0.1", "--turn-user", "a", "--turn-password", "env:NOPE"},
                        "--turn-password env:NOPE: environment variable NOPE is not set"),
                Arguments.of(
                        new String[] {"--turn", "127.0.0.1", "--turn-user", "a", "--turn-password", "env:EMPTY"},
                        "--turn-password env:EMPTY: environment variable EMPTY is empty"),
                Arguments.of(
                        new String[] {
                            "--turn", "127.0.0.1", "--turn-user", "a", "--turn-password", "file:/nonexistent/pw"
                        },
                        "--turn-password file:/nonexistent/pw: /nonexistent/pw: no such file"),
                Arguments.of(
                        new String[] {"--turn", "127.0.0.1", "--turn-password", "env:TURN_PASSWORD"},
                        "--turn-password needs --turn-user NAME"),
                Arguments.of(
                        new String[] {"--turn", "127.0.0.1", "--turn-user", "a"},
                        "--turn-user needs --turn-password file:PATH or env:NAME"),
                Arguments.of(
                        new String[] {
                            "--turn",
                            "127.0.0.1",
                            "--turn-user",
                            "a",
                            "--turn-password",
                            "env:TURN_PASSWORD",
                            "--turn-secret",
                            "env:TURN_SECRET"
                        },
                        "--turn-password and --turn-secret exclude each other"),
                Arguments.of(
                        new String[] {"--turn", "127.0.0.1", "-o", "brief"}, "not an output format of natcheck relay"),
                Arguments.of(new String[] {"--turn", "127.0.0.1", "-4", "-6"}, "-4 and -6 exclude each other"),
                Arguments.of(new String[] {"--turn", "127.0.0.1", "--timeout", "0s"}, "the duration must be positive"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badFlags")
    void badFlagsAreOneLineUsageErrors(String[] args, String message) {
        Run run = relay(args);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip())
                .doesNotContain("\n")
                .startsWith("natcheck relay: ")
                .contains(message);
        assertThat(run.err()).doesNotContain("hunter2", PASSWORD, SECRET);
    }
}
