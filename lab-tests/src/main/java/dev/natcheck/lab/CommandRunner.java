package dev.natcheck.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion with a deadline, its output captured in files. */
final class CommandRunner {

    private CommandRunner() {}

    /**
     * Runs {@code command} with {@code extraEnv} added to this process's environment. Output goes
     * to temporary files rather than pipes, so a chatty command can never block on a full pipe.
     */
    static ExecResult run(List<String> command, Map<String, String> extraEnv, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("lab-", ".out");
            err = Files.createTempFile("lab-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().putAll(extraEnv);
            Process process = builder.start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            return new ExecResult(
                    command,
                    finished ? process.exitValue() : -1,
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8),
                    !finished);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A leftover temp file is harmless; the result already holds its content.
            }
        }
    }
}
