package dev.natcheck.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code promtool} (package prometheus), Prometheus' own checker: the exposition format
 * and its lint rules, alerting rules, and the rules' unit tests. Tests that need it are skipped
 * with a reason where it is not installed.
 */
public final class Promtool {

    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private Promtool() {}

    /** What promtool printed and its exit status. */
    public record Result(int status, String output) {}

    /** Skips the calling test when promtool is not installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(PROMTOOL), "promtool not installed (apt-get install prometheus)");
    }

    /** Runs {@code promtool ARGS...} with {@code stdin} as its input. */
    public static Result run(String stdin, String... args) throws Exception {
        assumeInstalled();
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // A thread of its own: the common pool may be one thread, busy elsewhere.
        FutureTask<String> output =
                new FutureTask<>(() -> new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        Thread.ofPlatform().daemon().name("promtool-output").start(output);
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("promtool finished")
                .isTrue();
        return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS).strip());
    }

    /** Fails unless {@code promtool ARGS...} exits 0 and has nothing to say beyond "SUCCESS". */
    public static void assertAccepts(String stdin, String... args) throws Exception {
        Result result = run(stdin, args);
        assertThat(result.status())
                .as("promtool %s: %s", String.join(" ", args), result.output())
                .isZero();
        assertThat(result.output().lines().filter(l -> !l.isBlank() && !l.contains("SUCCESS")))
                .as("promtool %s warnings", String.join(" ", args))
                .isEmpty();
    }
}
