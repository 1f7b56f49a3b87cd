package dev.natcheck.stunserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The command line as a user drives it: exit codes, help, version, flag errors, flag meaning. */
class StunServerCommandTest {

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = StunServerCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpListsEveryFlagAndExitsZero() {
        Run r = run("--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains(
                        "--listen",
                        "--port",
                        "--alternate",
                        "--alt-port",
                        "--allow-amplification",
                        "--rate-limit",
                        "--software",
                        "--metrics",
                        "--socket-io",
                        "--version",
                        "default: 3478",
                        "default: 3479");
        // Wrapped at spaces only: the URL and the parentheses stay whole for copying.
        assertThat(r.out()).contains("http://ADDR:PORT/metrics", "(RFC 8489/5389, RFC 3489 clients too)");
    }

    @Test
    void versionNamesTheProgramAndExitsZero() {
        Run r = run("--version");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("stun-server ").contains("Java ");
    }

    record BadFlags(String name, List<String> args, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadFlags> badFlags() {
        return Stream.of(
                new BadFlags("unknown flag", List.of("--frobnicate"), "Unknown option: '--frobnicate'"),
                new BadFlags(
                        "host name instead of address",
                        List.of("--listen", "localhost"),
                        "host names are not resolved"),
                new BadFlags("port out of range", List.of("--port", "70000"), "--port must be 0..65535"),
                new BadFlags(
                        "alternate without a listen address",
                        List.of("--alternate", "127.0.0.2"),
                        "needs exactly one IPv4 listen address"),
                new BadFlags(
                        "two IPv4 alternates",
                        List.of("--listen", "127.0.0.1", "--alternate", "127.0.0.2", "--alternate", "127.0.0.3"),
                        "at most one alternate address per family"),
                new BadFlags(
                        "same port twice",
                        List.of(
                                "--listen",
                                "127.0.0.1",
                                "--alternate",
                                "127.0.0.2",
                                "--port",
                                "5000",
                                "--alt-port",
                                "5000"),
                        "must differ"),
                new BadFlags("rate limit not a number", List.of("--rate-limit", "fast"), "RATE[:BURST]"),
                new BadFlags("metrics without port", List.of("--metrics", "127.0.0.1"), "ADDR:PORT"),
                new BadFlags(
                        "unknown socket I/O mode",
                        List.of("--socket-io", "epoll"),
                        "'epoll' is not one of auto, batched, nio"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFlags")
    void badFlagsExitTwoWithOneLineSayingWhy(BadFlags bad) {
        Run r = run(bad.args().toArray(String[]::new));

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("stun-server: ").contains(bad.message()).contains("(see 'stun-server --help')");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void flagsBecomeTheConfiguration() {
        StunServerCommand command = new StunServerCommand();
        new CommandLine(command)
                .parseArgs(
                        "--listen",
                        "127.0.0.1",
                        "--alternate",
                        "127.0.0.2",
                        "--port",
                        "0",
                        "--alt-port",
                        "0",
                        "--allow-amplification",
                        "--rate-limit",
                        "10:30",
                        "--software",
                        "lab server");

        StunServerConfig config = command.config();
        assertThat(config.listen()).containsExactly(InetAddress.ofLiteral("127.0.0.1"));
        assertThat(config.alternate()).containsExactly(InetAddress.ofLiteral("127.0.0.2"));
        assertThat(config.rfc5780()).isTrue();
        assertThat(config.allowAmplification()).isTrue();
        assertThat(config.rateLimit().perSecond()).isEqualTo(10);
        assertThat(config.rateLimit().burst()).isEqualTo(30);
        assertThat(config.software()).isEqualTo("lab server");
    }

    @Test
    void defaultsMatchTheContract() {
        StunServerCommand command = new StunServerCommand();
        new CommandLine(command).parseArgs();

        StunServerConfig config = command.config();
        assertThat(config).isEqualTo(StunServerConfig.defaults());
        assertThat(config.listen()).isEmpty();
        assertThat(config.port()).isEqualTo(3478);
        assertThat(config.altPort()).isEqualTo(3479);
        assertThat(config.allowAmplification()).isFalse();
        assertThat(config.rateLimit()).isEqualTo(RateLimit.DEFAULT);
    }

    @Test
    void socketIoFlagNamesThePath() {
        StunServerCommand command = new StunServerCommand();
        new CommandLine(command).parseArgs("--socket-io", "nio");
        assertThat(command.socketIo).isEqualTo(SocketIo.NIO);

        new CommandLine(command).parseArgs();
        assertThat(command.socketIo).isEqualTo(SocketIo.AUTO);
    }

    @Test
    void rateLimitOffTurnsLimitingOff() {
        StunServerCommand command = new StunServerCommand();
        new CommandLine(command).parseArgs("--rate-limit", "off");

        assertThat(command.config().rateLimit().enabled()).isFalse();
    }
}
