package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.output.Promtool;
import dev.natcheck.stunserver.StunServer;
import dev.natcheck.stunserver.StunServerConfig;
import dev.natcheck.whoami.WhoamiConfig;
import dev.natcheck.whoami.WhoamiServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole monitoring path on one machine, every part real: {@code natcheck --every} (the
 * packaged jar, a process of its own) checks loopback against natcheck's stun-server and
 * whoami-server, writes its textfile into a directory that node_exporter's textfile directory
 * only links to (the layout natcheck-fleet.service uses), and Debian's
 * {@code prometheus-node-exporter} serves it on a free loopback port. The test scrapes
 * node_exporter as Prometheus would, while it takes the servers away and brings them back: the
 * series follow, the failed runs are counted, and SIGTERM ends natcheck with status 0.
 */
class FleetMonitoringIT {

    private static final Path JAR = Path.of("target", "natcheck.jar").toAbsolutePath();
    private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration PHASE = Duration.ofSeconds(45);

    @TempDir
    Path dir;

    /** One sample of a scrape: name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    private static final Pattern SAMPLE_LINE =
            Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? ([-+0-9.eE]+|NaN|[+-]Inf)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    static List<Sample> parse(String exposition) {
        List<Sample> samples = new ArrayList<>();
        for (String line : exposition.lines().toList()) {
            Matcher m = SAMPLE_LINE.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return samples;
    }

    /** A scrape of node_exporter, as Prometheus makes it. */
    record Scrape(List<Sample> samples) {

        Optional<Double> value(String name) {
            return samples.stream()
                    .filter(s -> s.name().equals(name))
                    .map(Sample::value)
                    .findFirst();
        }

        Optional<Double> value(String name, String label, String labelValue) {
            return samples.stream()
                    .filter(s -> s.name().equals(name)
                            && labelValue.equals(s.labels().get(label)))
                    .map(Sample::value)
                    .findFirst();
        }

        /** The verdict of loopback's IPv4 probe, with its NAT kind: "NO_NAT/NONE". */
        Optional<String> verdict() {
            return samples.stream()
                    .filter(s -> s.name().equals("natcheck_verdict_info")
                            && "ipv4".equals(s.labels().get("family")))
                    .map(s -> s.labels().get("verdict") + "/" + s.labels().get("nat"))
                    .findFirst();
        }

        boolean has(String name) {
            return value(name).isPresent();
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Scrape scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new Scrape(parse(response.body()));
    }

    /** Scrapes until {@code condition} holds; fails with the last scrape and natcheck's stderr otherwise. */
    private Scrape awaitScrape(int port, String what, Predicate<Scrape> condition, Process natcheck, Path stderr)
            throws Exception {
        long deadline = System.nanoTime() + PHASE.toNanos();
        Scrape last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = scrape(port);
                if (condition.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                // node_exporter still starting
            }
            assertThat(natcheck.isAlive())
                    .as("natcheck still running; stderr: %s", Files.readString(stderr))
                    .isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError(what + ": not within " + PHASE.toSeconds() + " s; last scrape's natcheck series: "
                + (last == null
                        ? "none"
                        : last.samples().stream()
                                .filter(s -> s.name().startsWith("natcheck_")
                                        || s.name().startsWith("node_textfile"))
                                .toList())
                + "; natcheck stderr: " + Files.readString(stderr));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        }
    }

    private static StunServer stun(int port) throws IOException {
        return StunServer.start(StunServerConfig.loopbackEphemeral().withPorts(port, 0));
    }

    private static WhoamiServer whoami(int port) throws IOException {
        return WhoamiServer.start(new WhoamiConfig(
                List.of(LOOPBACK), port, WhoamiConfig.DEFAULT_MAX_CONNECTIONS, WhoamiConfig.DEFAULT_IDLE_TIMEOUT));
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void nodeExporterServesWhatNatcheckFindsAndTheSeriesFollowTheServers() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(NODE_EXPORTER),
                "prometheus-node-exporter not installed (apt-get install prometheus-node-exporter)");
        // The units' layout: natcheck writes in a directory of its own, the textfile directory links to it.
        Path runtime = Files.createDirectories(dir.resolve("run-natcheck"));
        Path textfileDir = Files.createDirectories(dir.resolve("textfile"));
        Path prom = runtime.resolve("natcheck.prom");
        Files.createSymbolicLink(textfileDir.resolve("natcheck.prom"), prom);

        StunServer stunServer = stun(0);
        int stunPort = stunServer.boundAddresses().getFirst().getPort();
        WhoamiServer whoamiServer = whoami(0);
        int tcpPort = whoamiServer.boundAddresses().getFirst().getPort();
        int metricsPort = freePort();
        Process nodeExporter = null;
        Process natcheck = null;
        Path natcheckErr = dir.resolve("natcheck.err");
        try {
            nodeExporter = new ProcessBuilder(
                            NODE_EXPORTER.toString(),
                            "--web.listen-address=127.0.0.1:" + metricsPort,
                            "--collector.disable-defaults",
                            "--collector.textfile",
                            "--collector.textfile.directory=" + textfileDir)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("node-exporter.log").toFile())
                    .start();
            natcheck = new ProcessBuilder(
                            JAVA,
                            "-jar",
                            JAR.toString(),
                            "-i",
                            "lo",
                            "-4",
                            "-s",
                            "127.0.0.1:" + stunPort,
                            "--tcp-port",
                            String.valueOf(tcpPort),
                            "--every",
                            "2s",
                            "--timeout",
                            "1s",
                            "-q",
                            "-o",
                            "brief",
                            "--prometheus-file",
                            prom.toString())
                    .redirectError(natcheckErr.toFile())
                    .redirectOutput(dir.resolve("natcheck.out").toFile())
                    .start();
            Process running = natcheck;

            // Both servers up: no NAT on loopback, UDP answers, nothing failed.
            Scrape up = awaitScrape(
                    metricsPort,
                    "NO_NAT served",
                    s -> s.verdict().equals(Optional.of("NO_NAT/NONE")),
                    running,
                    natcheckErr);
            assertThat(up.value("natcheck_udp_reachable", "interface", "lo")).contains(1.0);
            assertThat(up.value("natcheck_stun_rtt_seconds", "interface", "lo"))
                    .hasValueSatisfying(rtt -> assertThat(rtt).isPositive().isLessThan(1.0));
            assertThat(up.value("natcheck_consecutive_failures")).contains(0.0);
            assertThat(up.value("natcheck_last_success_timestamp_seconds")).isPresent();
            assertThat(up.value("natcheck_run_duration_seconds"))
                    .hasValueSatisfying(d -> assertThat(d).isPositive().isLessThan(30.0));
            assertThat(up.value("natcheck_build_info", "version", System.getProperty("project.version", "?")))
                    .contains(1.0);
            // node_exporter followed the link and had no trouble reading the file.
            assertThat(up.value("node_textfile_scrape_error")).contains(0.0);
            assertThat(up.value(
                            "node_textfile_mtime_seconds",
                            "file",
                            textfileDir.resolve("natcheck.prom").toString()))
                    .isPresent();
            Promtool.assertAccepts(Files.readString(prom), "check", "metrics");

            // The STUN server stops: UDP is refused, the whoami echo still gives the address.
            stunServer.close();
            Scrape udpGone = awaitScrape(
                    metricsPort,
                    "UDP_BLOCKED served",
                    s -> s.verdict().equals(Optional.of("UDP_BLOCKED/NONE")),
                    running,
                    natcheckErr);
            assertThat(udpGone.value("natcheck_udp_reachable", "interface", "lo"))
                    .contains(0.0);
            assertThat(udpGone.value("natcheck_stun_rtt_seconds", "interface", "lo"))
                    .as("no STUN answer, no round trip")
                    .isEmpty();
            assertThat(udpGone.value("natcheck_consecutive_failures"))
                    .as("the outside address was still learned, over TCP")
                    .contains(0.0);

            // Both gone: nothing learned, each run a failure, the last success stays where it was.
            whoamiServer.close();
            Scrape down = awaitScrape(
                    metricsPort,
                    "two failed runs served",
                    s -> s.verdict().equals(Optional.of("REFUSED/UNKNOWN"))
                            && s.value("natcheck_consecutive_failures").orElse(0.0) >= 2,
                    running,
                    natcheckErr);
            double lastSuccess =
                    down.value("natcheck_last_success_timestamp_seconds").orElseThrow();
            assertThat(down.value("natcheck_last_run_timestamp_seconds").orElseThrow())
                    .isGreaterThan(lastSuccess);
            assertThat(down.value("natcheck_udp_reachable", "interface", "lo")).contains(0.0);

            // Back on the same ports: no NAT again, the failures end, a new last success.
            stunServer = stun(stunPort);
            whoamiServer = whoami(tcpPort);
            Scrape back = awaitScrape(
                    metricsPort,
                    "NO_NAT served again",
                    s -> s.verdict().equals(Optional.of("NO_NAT/NONE")),
                    running,
                    natcheckErr);
            assertThat(back.value("natcheck_udp_reachable", "interface", "lo")).contains(1.0);
            assertThat(back.value("natcheck_consecutive_failures")).contains(0.0);
            assertThat(back.value("natcheck_last_success_timestamp_seconds").orElseThrow())
                    .isGreaterThan(lastSuccess);

            // SIGTERM, as systemctl stop sends it: status 0, nothing on stderr (-q), the file kept.
            natcheck.destroy();
            assertThat(natcheck.waitFor(20, TimeUnit.SECONDS))
                    .as("stopped after SIGTERM")
                    .isTrue();
            assertThat(natcheck.exitValue()).as(Files.readString(natcheckErr)).isZero();
            assertThat(Files.readString(natcheckErr)).isEmpty();
            assertThat(Files.readString(prom)).contains("verdict=\"NO_NAT\"");
        } finally {
            if (natcheck != null) {
                natcheck.destroyForcibly();
            }
            if (nodeExporter != null) {
                nodeExporter.destroy();
                if (!nodeExporter.waitFor(10, TimeUnit.SECONDS)) {
                    nodeExporter.destroyForcibly();
                }
            }
            stunServer.close();
            whoamiServer.close();
        }
    }

    /** The scrape parser, on node_exporter's way of writing labels (sorted, escaped). */
    @Test
    void parsesTheExpositionFormat() {
        List<Sample> samples = parse("""
                # HELP natcheck_verdict_info Verdict.
                natcheck_verdict_info{family="ipv4",interface="a\\"b",nat="NONE",verdict="NO_NAT"} 1
                natcheck_consecutive_failures 3
                """);

        assertThat(samples)
                .containsExactly(
                        new Sample(
                                "natcheck_verdict_info",
                                Map.of("family", "ipv4", "interface", "a\\\"b", "nat", "NONE", "verdict", "NO_NAT"),
                                1),
                        new Sample("natcheck_consecutive_failures", Map.of(), 3));
    }
}
