package dev.natcheck.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Usage errors and --version as every natcheck command shows them. */
class OneLineErrorsTest {

    @Command(
            name = "tool",
            mixinStandardHelpOptions = true,
            versionProvider = ManifestVersion.class,
            subcommands = Sub.class)
    static final class Tool implements Callable<Integer> {
        @Option(names = "--wait", converter = DurationConverter.class)
        Duration wait;

        @Override
        public Integer call() {
            return 0;
        }
    }

    @Command(name = "sub", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class)
    static final class Sub implements Callable<Integer> {
        @Override
        public Integer call() {
            return 0;
        }
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = OneLineErrors.commandLine(new Tool());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void aBadFlagIsOneLineNamingTheCommandAndItsHelpAndExits2() {
        int status = run("--wait", "soon");

        assertThat(status).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines())
                .containsExactly("tool: Invalid value for option '--wait': 'soon' is not a duration (examples: 500ms,"
                        + " 1.5s, 2m, 1h, PT10S) (see 'tool --help')");
    }

    @Test
    void aSubcommandsErrorNamesTheSubcommand() {
        int status = run("sub", "--frob");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString().lines())
                .singleElement()
                .asString()
                .isEqualTo("tool sub: Unknown option: '--frob' (see 'tool sub --help')");
    }

    @Test
    void versionNamesTheCommandItsBuildAndTheJavaRuntime() {
        int status = run("sub", "--version");

        assertThat(status).isZero();
        // Run from classes, not from a jar: no manifest, so no version number.
        assertThat(out.toString().lines())
                .containsExactly(
                        "tool development build",
                        "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
    }
}
