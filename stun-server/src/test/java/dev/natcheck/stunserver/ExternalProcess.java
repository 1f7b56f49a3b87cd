package dev.natcheck.stunserver;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a reference tool (coturn, Vovida stun) as a child process, bounded in time. */
final class ExternalProcess {

    /** Exit status (-1 if it had to be killed at the deadline) and everything it printed. */
    record Result(int exit, String output) {}

    private ExternalProcess() {}

    /** Skips the calling test, saying what to install, when {@code tool} is not on the PATH. */
    static void requireTool(String tool, String debianPackage) {
        boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
        assumeTrue(
                found,
                () -> tool + " not found: install the Debian package " + debianPackage
                        + " (.ci/run does) to run this interoperability test");
    }

    /** Runs {@code command} to completion, killing it (by its own handle) at {@code timeout}. */
    static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("natcheck-peer", ".out");
        try {
            Process p = new ProcessBuilder(List.of(command))
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            int exit;
            if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                exit = p.exitValue();
            } else {
                p.destroyForcibly().waitFor();
                exit = -1;
            }
            return new Result(exit, Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
