package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.output.RunHistory;
import dev.natcheck.probe.InterfaceInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code natcheck --every}: runs until stopped, the textfile rewritten after each run, failed runs
 * counted rather than fatal, SIGTERM (here {@link Natcheck#terminate()}, the handler's own entry
 * point; the real signal is in FleetMonitoringIT) exiting 0 and Ctrl-C 130. Waits are polls for
 * what a run leaves behind, never a guess at how long a run takes.
 */
class EveryTest {

    @TempDir
    Path dir;

    /** A run on its own thread, so the test can stop it. */
    private record Running(Natcheck natcheck, CompletableFuture<Integer> exit, StringWriter out, StringWriter err) {

        static Running start(Environment environment, String... args) {
            Natcheck natcheck = new Natcheck(environment);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            var commandLine = Natcheck.commandLine(natcheck);
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            // A thread of its own: the common pool may be a single thread on a small machine.
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("natcheck-every").start(() -> exit.complete(commandLine.execute(args)));
            return new Running(natcheck, exit, out, err);
        }

        int awaitExit() throws Exception {
            return exit.get(20, TimeUnit.SECONDS);
        }

        /** Waits until {@code condition} holds, failing with what the run printed if it never does. */
        void await(String what, BooleanSupplier condition) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!condition.getAsBoolean()) {
                if (exit.isDone()) {
                    throw new AssertionError(
                            what + ": natcheck ended with " + exit.get() + "; stdout: " + out + " stderr: " + err);
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(what + ": not within 30 s; stdout: " + out + " stderr: " + err);
                }
                Thread.sleep(50);
            }
        }

        long lines() {
            return out.toString().lines().count();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return ""; // between the rename and the read: the next poll sees it
        }
    }

    @Test
    @Timeout(60)
    void repeatsRewritingTheTextfileAfterEachRunUntilSigtermThenExitsZero() throws Exception {
        Path prom = dir.resolve("natcheck.prom");
        Running run = Running.start(
                UsageErrorsTest.OFFLINE,
                "--local",
                "-4",
                "--every",
                "1s",
                "--timeout",
                "500ms",
                "-o",
                "brief",
                "--prometheus-file",
                prom.toString());

        run.await("a first run", () -> run.lines() >= 1 && Files.exists(prom));
        String first = read(prom);
        run.await("three runs", () -> run.lines() >= 3);
        run.await(
                "the file rewritten", () -> !read(prom).isEmpty() && !read(prom).equals(first));

        assertThat(run.natcheck().terminate()).isTrue();
        int status = run.awaitExit();

        assertThat(status).as(run.err().toString()).isZero();
        assertThat(run.out().toString().lines())
                .hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(line -> assertThat(line).matches("lo\\S*\tipv4\tNO_NAT\t127\\.0\\.0\\.1:\\d+\t0"));
        assertThat(run.err().toString()).isEqualTo("natcheck: stopped by SIGTERM\n");
        assertThat(read(prom))
                .contains("verdict=\"NO_NAT\"", "natcheck_consecutive_failures 0\n", "natcheck_run_duration_seconds ");
        assertThat(RunHistory.read(prom).lastSuccess()).isPresent();
    }

    /** Servers gone: each run is REFUSED, counted in the file, and the loop goes on. */
    @Test
    @Timeout(60)
    void aRunThatLearnsNothingIsCountedInTheFileNotAnExit() throws Exception {
        Path prom = dir.resolve("natcheck.prom");
        Running run = Running.start(
                UsageErrorsTest.OFFLINE,
                "-i",
                "lo",
                "-4",
                "-s",
                "127.0.0.1:" + CheckCommandTest.closedUdpPort(),
                "--tcp-port",
                String.valueOf(CheckCommandTest.closedTcpPort()),
                "--every",
                "1s",
                "--timeout",
                "500ms",
                "-o",
                "brief",
                "--prometheus-file",
                prom.toString());

        run.await("three failed runs", () -> RunHistory.read(prom).consecutiveFailures() >= 3);

        assertThat(run.exit()).as("still running").isNotDone();
        assertThat(read(prom))
                .contains(
                        "natcheck_verdict_info{interface=\"lo\",family=\"ipv4\",verdict=\"REFUSED\",nat=\"UNKNOWN\"} 1")
                .contains("natcheck_udp_reachable{interface=\"lo\",family=\"ipv4\"} 0")
                .doesNotContain("natcheck_last_success_timestamp_seconds");
        assertThat(run.natcheck().interrupt()).isTrue();
        assertThat(run.awaitExit()).isEqualTo(Natcheck.EXIT_INTERRUPTED);
        assertThat(run.out().toString().lines())
                .allSatisfy(line -> assertThat(line).isEqualTo("lo\tipv4\tREFUSED\t-\t-"));
        assertThat(run.err().toString()).endsWith("natcheck: stopped by Ctrl-C\n");
    }

    /** Ctrl-C between runs: natcheck ends at once, without another run. */
    @Test
    @Timeout(60)
    void ctrlCWhileWaitingForTheNextRunEndsItWithoutAnother() throws Exception {
        Running run =
                Running.start(UsageErrorsTest.OFFLINE, "--local", "-4", "--every", "1m", "--timeout", "500ms", "-q");

        run.await("a first run", () -> run.out().toString().contains("What this means:"));
        assertThat(run.natcheck().interrupt()).isTrue();

        assertThat(run.awaitExit()).isEqualTo(Natcheck.EXIT_INTERRUPTED);
        assertThat(run.out().toString()).startsWith("Run 1, ").doesNotContain("Run 2, ");
        assertThat(run.err().toString()).as("-q: errors only").isEmpty();
    }

    /**
     * An interface that goes away after the first run (a USB modem unplugged) is a failed run,
     * counted in the file with no probe in it; the same name missing at the first run is a usage
     * error (UsageErrorsTest).
     */
    @Test
    @Timeout(60)
    void anInterfaceThatGoesAwayLaterIsAFailedRunNotAnExit() throws Exception {
        Path prom = dir.resolve("natcheck.prom");
        AtomicInteger listings = new AtomicInteger();
        Environment vanishing = new Environment(
                List.of(),
                host -> {
                    throw new UnknownHostException(host);
                },
                () -> listings.getAndIncrement() == 0
                        ? List.of(new InterfaceInfo("lo", true, true, List.of(InetAddress.getLoopbackAddress())))
                        : List.of());
        Running run = Running.start(
                vanishing,
                "-i",
                "lo",
                "-4",
                "-s",
                "127.0.0.1:" + CheckCommandTest.closedUdpPort(),
                "--tcp-port",
                String.valueOf(CheckCommandTest.closedTcpPort()),
                "--every",
                "1s",
                "--timeout",
                "500ms",
                "-q",
                "-o",
                "brief",
                "--prometheus-file",
                prom.toString());

        run.await("the second run failed", () -> run.err().toString().contains("natcheck: run 2 failed: "));
        run.await("its failure counted", () -> RunHistory.read(prom).consecutiveFailures() >= 2);
        assertThat(run.natcheck().terminate()).isTrue();

        assertThat(run.awaitExit()).isZero();
        assertThat(run.err().toString()).contains("natcheck: run 2 failed: no interface named 'lo' (have: )");
        assertThat(read(prom)).doesNotContain("natcheck_verdict_info{");
    }

    /**
     * What cron does: one run at a time, each continuing the history the last one wrote, so
     * {@code natcheck_consecutive_failures} counts across processes.
     */
    @Test
    @Timeout(60)
    void aSingleRunContinuesTheHistoryTheLastOneWrote() throws Exception {
        Path prom = dir.resolve("natcheck.prom");
        Files.writeString(
                prom, "natcheck_last_success_timestamp_seconds 1767225600.25\nnatcheck_consecutive_failures 4\n");

        Run failed = Run.of(
                UsageErrorsTest.OFFLINE,
                "-i",
                "lo",
                "-4",
                "-s",
                "127.0.0.1:" + CheckCommandTest.closedUdpPort(),
                "--tcp-port",
                String.valueOf(CheckCommandTest.closedTcpPort()),
                "--timeout",
                "500ms",
                "-q",
                "--prometheus-file",
                prom.toString());

        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(RunHistory.read(prom))
                .isEqualTo(new RunHistory(Optional.of(Instant.parse("2026-01-01T00:00:00.250Z")), 5));

        Instant before = Instant.now().minusSeconds(1);
        Run succeeded = Run.of(UsageErrorsTest.OFFLINE, "--local", "-4", "-q", "--prometheus-file", prom.toString());

        assertThat(succeeded.exitCode()).as(succeeded.err()).isZero();
        RunHistory after = RunHistory.read(prom);
        assertThat(after.consecutiveFailures()).isZero();
        assertThat(after.lastSuccess()).hasValueSatisfying(t -> assertThat(t).isAfter(before));
    }

    /** -o prometheus with --every: one exposition per run on stdout, the same as the file. */
    @Test
    @Timeout(60)
    void prometheusOnStdoutIsOneExpositionPerRun() throws Exception {
        Running run = Running.start(
                UsageErrorsTest.OFFLINE, "--local", "-4", "--every", "1s", "--timeout", "500ms", "-o", "prometheus");

        run.await("two runs", () -> run.out().toString().split("# TYPE natcheck_build_info gauge", -1).length >= 3);
        run.natcheck().terminate();

        assertThat(run.awaitExit()).isZero();
        assertThat(run.out().toString()).contains("natcheck_consecutive_failures 0\n");
    }
}
