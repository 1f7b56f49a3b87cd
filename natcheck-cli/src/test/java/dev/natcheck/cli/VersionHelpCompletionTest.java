package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.command.ManifestVersion;
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
        assertThat(run.out().lines())
                .containsExactly(
                        "natcheck " + ManifestVersion.DEVELOPMENT_BUILD,
                        "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
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
                "--no-gateway",
                "--version",
                "--help")) {
            assertThat(run.out()).contains(option);
        }
        assertThat(run.out()).contains("Examples:", "natcheck --local", "Exit status:");
        assertThat(run.out())
                .as("the old opt-in still parses but is not advertised")
                .doesNotContain("--nat-pmp");
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

    @Test
    void completionOffersInterfaceNamesAfterDashIAndKeepsCompletingAfterDashV() throws Exception {
        Path script = Files.writeString(
                dir.resolve("natcheck-completion.bash"),
                Run.of(UsageErrorsTest.OFFLINE, "completion").out());
        List<String> interfaces;
        try (var names = Files.list(Path.of("/sys/class/net"))) {
            interfaces = names.map(p -> p.getFileName().toString()).sorted().toList();
        }

        for (String option : List.of("-i", "--interface")) {
            String offered = complete(script, "natcheck", option, "");
            assertThat(offered.split("\\s+")).as(option).containsExactlyInAnyOrderElementsOf(interfaces);
        }
        assertThat(complete(script, "natcheck", "-i", "l").split("\\s+"))
                .contains("lo")
                .doesNotContain("asn");
        assertThat(complete(script, "natcheck", "-v", "--ti").split("\\s+")).contains("--timeout");
        assertThat(complete(script, "natcheck", "--v").split("\\s+")).contains("--verbose", "--version");
        assertThat(complete(script, "natcheck", "asn", "--asn-").split("\\s+")).doesNotContain("--verbose");
    }

    /** What the completion function offers for the last word of {@code words}. */
    private static String complete(Path script, String... words) throws Exception {
        String array = String.join(
                " ", java.util.Arrays.stream(words).map(w -> "'" + w + "'").toList());
        String line = String.join(" ", words);
        return bash("source " + script + "; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
                + "; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; _complete_natcheck natcheck '"
                + words[words.length - 1] + "' '" + words[words.length - 2]
                + "' 2>/dev/null; echo \"${COMPREPLY[@]}\"");
    }

    @Test
    void helpNamesASubcommandsHelp() {
        Run run = Run.of(UsageErrorsTest.OFFLINE, "help", "asn");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Usage: natcheck asn").contains("Look up the AS number");
        assertThat(run.err()).isEmpty();
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
