package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Long runs: a status line on stderr when it is a terminal, and Ctrl-C (here the handler's own
 * entry point, {@link Natcheck#interrupt()}; the real signal is in NatcheckJarIT) printing what is
 * known with exit status 130.
 */
class InterruptAndProgressTest {

    /** A run on its own thread, so the test can interrupt it. */
    private record Running(Natcheck natcheck, CompletableFuture<Integer> exit, StringWriter out, StringWriter err) {

        static Running start(boolean terminal, String... args) {
            Natcheck natcheck = new Natcheck(UsageErrorsTest.OFFLINE);
            natcheck.stderrIsTerminal = () -> terminal;
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            var commandLine = Natcheck.commandLine(natcheck);
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            return new Running(natcheck, CompletableFuture.supplyAsync(() -> commandLine.execute(args)), out, err);
        }

        int awaitExit() throws Exception {
            return exit.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(30)
    void ctrlCDuringTheLifetimeTestPrintsTheVerdictAndTheLifetimeSoFarAndExits130() throws Exception {
        Running run = Running.start(false, "--local", "-4", "--timeout", "1s", "--lifetime", "1m", "-o", "json");
        // The probe and the behaviour tests are done within the 1 s timeout; the lifetime test runs on.
        Thread.sleep(Duration.ofMillis(3500));
        assertThat(run.exit()).as("still running the lifetime test").isNotDone();
        long interruptedAt = System.nanoTime();

        assertThat(run.natcheck().interrupt()).isTrue();
        int status = run.awaitExit();

        assertThat(status).isEqualTo(Natcheck.EXIT_INTERRUPTED);
        assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).isLessThan(Duration.ofSeconds(10));
        JsonNode probe =
                new ObjectMapper().readTree(run.out().toString()).get("probes").get(0);
        assertThat(probe.get("verdict").asText()).isEqualTo("NO_NAT");
        assertThat(probe.get("mapping").asText()).isEqualTo("endpoint-independent");
        assertThat(probe.get("evidence").toString()).contains("binding lifetime test interrupted after");
        assertThat(run.err().toString()).contains("natcheck: interrupted: printed what was known");
    }

    @Test
    @Timeout(30)
    void ctrlCBeforeAnyProbeFinishedNamesTheProbesAndPrintsNoVerdict() throws Exception {
        try (DatagramSocket silentUdp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ServerSocket silentTcp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Running run = Running.start(
                    false,
                    "-i",
                    "lo",
                    "-4",
                    "-s",
                    "127.0.0.1:" + silentUdp.getLocalPort(),
                    "--tcp-port",
                    String.valueOf(silentTcp.getLocalPort()),
                    "--timeout",
                    "20s");
            Thread.sleep(Duration.ofMillis(800));

            assertThat(run.natcheck().interrupt()).isTrue();

            assertThat(run.awaitExit()).isEqualTo(Natcheck.EXIT_INTERRUPTED);
            assertThat(run.out().toString()).isEmpty();
            assertThat(run.err().toString())
                    .contains("natcheck: lo ipv4: not reported, interrupted before the probe finished")
                    .contains("natcheck: interrupted: printed what was known");
        }
    }

    @Test
    void interruptBeforeOrAfterTheCheckIsNotTakenOver() {
        Natcheck natcheck = new Natcheck(UsageErrorsTest.OFFLINE);

        // main() then exits at once with 130, as the JVM would without a handler.
        assertThat(natcheck.interrupt()).isFalse();
    }

    @Test
    @Timeout(30)
    void aLongRunShowsItsProgressOnATerminalAndErasesItBeforeTheResults() throws Exception {
        Running run = Running.start(true, "--local", "-4", "--timeout", "1s", "--lifetime", "3s", "-o", "brief");

        assertThat(run.awaitExit()).isZero();
        String err = run.err().toString();
        assertThat(err)
                .contains("natcheck: so far lo ipv4 NO_NAT\n")
                .contains("\r\u001b[Knatcheck: lifetime test 0:0")
                .contains(" of about 0:04 (Ctrl-C prints what is known)")
                .endsWith("\r\u001b[K");
        assertThat(run.out().toString()).startsWith("lo\tipv4\tNO_NAT\t127.0.0.1:");
    }

    @Test
    @Timeout(30)
    void noProgressWithQuietOrWithoutATerminal() throws Exception {
        Running quiet = Running.start(true, "--local", "-4", "--timeout", "1s", "--lifetime", "3s", "-q");
        Running piped = Running.start(false, "--local", "-4", "--timeout", "1s", "--lifetime", "3s");

        assertThat(quiet.awaitExit()).isZero();
        assertThat(piped.awaitExit()).isZero();
        assertThat(quiet.err().toString()).isEmpty();
        assertThat(piped.err().toString()).doesNotContain("\r", "Ctrl-C");
    }

    @Test
    void theStatusLineSaysWhereTheRunIsAndHowToStopIt() {
        try (Progress progress = new Progress(new PrintWriter(new StringWriter()), false, Duration.ofSeconds(185))) {
            progress.phase("lifetime test");

            assertThat(progress.line(Duration.ofSeconds(45)))
                    .isEqualTo("natcheck: lifetime test 0:45 of about 3:05 (Ctrl-C prints what is known)")
                    .hasSizeLessThan(80);
        }
    }
}
