package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionHelpCompletionTest {

    @TempDir
    Path dir;

    @Test
    void versionComesFromTheManifestOrSaysItIsADevelopmentBuild() {
        Run run = Run.of(UsageErrorsTest.OFFLINE, "--version");

        assertThat(run.exitCode()).isZero();
        // From target/classes there is no manifest; the jar's version is checked by the jar test.
        assertThat(run.out().strip()).isEqualTo("natcheck " + ManifestVersion.version());
    }

    @Test
    void helpExplainsEveryOptionWithAnExample() {
        Run run = Run.of(UsageErrorsTest.OFFLINE, "--help");

        assertThat(run.exitCode()).isZero();
        for (String option : List.of(
                "-4",
                "-6",
                "--interface",
                "--server",
                "--tcp-port",
                "--timeout",
                "--output",
                "--asn-db",
                "--asn-dns",
                "--resolver",
                "--cpe-asn",
                "--prometheus-file",
                "--local",
                "--verbose",
                "--quiet",
                "--nat-pmp",
                "--version",
                "--help")) {
            assertThat(run.out()).contains(option);
        }
        assertThat(run.out()).contains("Examples:", "natcheck --local", "Exit status:");
        // Every option that takes a value shows an example of one.
        for (String option : List.of(
                "--interface",
                "--server",
                "--tcp-port",
                "--timeout",
                "--output",
                "--asn-db",
                "--resolver",
                "--cpe-asn",
                "--prometheus-file")) {
            List<String> lines = run.out().lines().toList();
            int start = -1;
            for (int i = 0; i < lines.size() && start < 0; i++) {
                if (lines.get(i).matches("\\s+(-\\w, )?" + option + "[=\\s].*")) {
                    start = i;
                }
            }
            assertThat(start).as(option + " in the option list").isNotNegative();
            StringBuilder block = new StringBuilder(lines.get(start));
            for (int i = start + 1; i < lines.size() && lines.get(i).startsWith("        "); i++) {
                block.append('\n').append(lines.get(i));
            }
            assertThat(block).as(option).contains("e.g.");
        }
    }

    @Test
    void completionScriptIsValidBashAndCompletesOptionsAndSubcommands() throws Exception {
        Run run = Run.of(UsageErrorsTest.OFFLINE, "completion");
        assertThat(run.exitCode()).isZero();
        Path script = Files.writeString(dir.resolve("natcheck-completion.bash"), run.out());

        assertThat(bash("bash -n " + script)).isEqualTo("");
        String options = bash(
                "source " + script + "; COMP_WORDS=(natcheck --ti); COMP_CWORD=1; COMP_LINE='natcheck --ti';"
                        + " COMP_POINT=${#COMP_LINE}; _complete_natcheck natcheck --ti natcheck; echo \"${COMPREPLY[@]}\"");
        assertThat(options.split("\\s+")).contains("--timeout");
        String commands = bash("source " + script + "; COMP_WORDS=(natcheck a); COMP_CWORD=1; COMP_LINE='natcheck a';"
                + " COMP_POINT=${#COMP_LINE}; _complete_natcheck natcheck a natcheck; echo \"${COMPREPLY[@]}\"");
        assertThat(commands.split("\\s+")).contains("asn");
    }

    @ParameterizedTest(name = "natcheck {0} --help")
    @CsvSource({"asn, Look up the AS number", "completion, completion script"})
    void subcommandsHaveHelp(String command, String text) {
        Run run = Run.of(UsageErrorsTest.OFFLINE, command, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains(text);
    }

    private static String bash(String command) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", command)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
