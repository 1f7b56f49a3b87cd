package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.natcheck.relay.DelayingForwarder;
import dev.natcheck.stun.Coturn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code natcheck relay} from the packaged jar, stopped by SIGTERM (what {@code kill}, systemd and
 * a CI timeout send; Ctrl-C's SIGINT takes the same path) while it holds an allocation: it releases
 * the allocation, prints its report marked interrupted, and exits 143.
 */
class RelayJarIT {

    private static final Path JAR = Path.of("target", "natcheck.jar").toAbsolutePath();
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    @Test
    void sigtermWhileHoldingAnAllocationReleasesItFirst() throws Exception {
        assumeTrue(Coturn.installed(), "coturn's turnserver is not installed (apt-get install coturn)");
        try (Coturn coturn = Coturn.withUser("alice", "pw");
                DelayingForwarder far = new DelayingForwarder(coturn.address(), Duration.ofMillis(150))) {
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    JAVA,
                    "-jar",
                    JAR.toString(),
                    "relay",
                    "--turn",
                    far.address(),
                    "--turn-user",
                    "alice",
                    "--turn-password",
                    "env:TURN_PASSWORD",
                    "--timeout",
                    "20s"));
            builder.environment().put("TURN_PASSWORD", "pw");
            Process process = builder.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            try {
                for (int i = 0; i < 500 && coturn.successes("CHANNEL_BIND") == 0 && process.isAlive(); i++) {
                    Thread.sleep(20);
                }
                assertThat(coturn.successes("CHANNEL_BIND")).as(coturn.log()).isPositive();

                process.toHandle().destroy(); // SIGTERM to this process only, its output streams left open

                assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(process.exitValue()).as(err.get()).isEqualTo(143);
                assertThat(out.get()).startsWith("Interrupted; allocations released.");
                assertThat(coturn.successes("REFRESH")).as(coturn.log()).isPositive();
                assertThat(coturn.log()).contains("lifetime=0");
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly();
                }
            }
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
