package dev.natcheck.whoami;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.natcheck.command.MetricsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code --metrics}: whoami-server's own counters over HTTP, as Prometheus scrapes them. */
@Timeout(60)
class WhoamiMetricsTest {

    private static final InetAddress V4 = InetAddress.ofLiteral("127.0.0.1");

    @Test
    void servesItsCountersAndBuildInfoInAFormatPromtoolAccepts() throws Exception {
        // At most one held connection, held at most 300 ms: the second client pushes the first
        // out (limit), and the second is closed when its time is up (idle_timeout).
        try (WhoamiServer server = WhoamiServer.start(new WhoamiConfig(List.of(V4), 0, 1, Duration.ofMillis(300)));
                MetricsServer metrics = WhoamiMetrics.start(new InetSocketAddress(V4, 0), server);
                HttpClient http = HttpClient.newHttpClient()) {
            InetSocketAddress to = server.boundAddresses().getFirst();
            try (Socket first = new Socket(to.getAddress(), to.getPort());
                    Socket second = new Socket(to.getAddress(), to.getPort())) {
                first.getInputStream().readAllBytes();
                second.getInputStream().readAllBytes();
                awaitTrue(() -> server.evicted() == 1 && server.timedOut() == 1);
            }
            String body = scrape(http, metrics.port());

            assertThat(body)
                    .contains("whoami_lines_served_total 2")
                    .contains("whoami_connections_closed_total{reason=\"limit\"} 1")
                    .contains("whoami_connections_closed_total{reason=\"idle_timeout\"} 1")
                    .containsPattern("whoami_connections_open [01]")
                    .containsPattern("whoami_build_info\\{java_version=\"25[^\"]*\",version=\"[^\"]+\"} 1");
            promtoolAccepts(body);
        }
    }

    private static String scrape(HttpClient http, int port) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** {@code promtool check metrics} (Debian's prometheus package): the format and its lint rules. */
    static void promtoolAccepts(String exposition) throws IOException, InterruptedException {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/promtool")),
                "promtool not installed (apt-get install prometheus)");
        Process promtool = new ProcessBuilder("/usr/bin/promtool", "check", "metrics")
                .redirectErrorStream(true)
                .start();
        promtool.getOutputStream().write(exposition.getBytes(UTF_8));
        promtool.getOutputStream().close();
        String report = new String(promtool.getInputStream().readAllBytes(), UTF_8);
        assertThat(promtool.waitFor()).as("promtool check metrics: %s", report).isZero();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline)
                    .as("condition still false after 10 s")
                    .isNegative();
            Thread.sleep(10);
        }
    }
}
