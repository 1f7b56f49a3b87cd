package dev.natcheck.command;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A daemon's Prometheus endpoint ({@code --metrics ADDR:PORT}): {@code /metrics} served by the
 * official client's HTTP server, with the daemon's own metrics (read from its counters when
 * scraped, so the serving threads never touch the metrics library) and
 * {@code NAMESPACE_build_info{version, java_version} 1}.
 */
public final class MetricsServer implements AutoCloseable {

    private final HTTPServer http;

    private MetricsServer(HTTPServer http) {
        this.http = http;
    }

    /**
     * Starts serving on {@code address} (port 0: ephemeral) the metrics {@code collector} makes,
     * plus {@code namespace_build_info} with the version in the manifest of the jar holding
     * {@code versionOf}.
     */
    public static MetricsServer start(
            InetSocketAddress address, String namespace, Class<?> versionOf, MultiCollector collector)
            throws IOException {
        InfoSnapshot buildInfo = InfoSnapshot.builder()
                .name(namespace + "_build")
                .help("Version of this server and of the Java runtime it runs on; always 1")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                        .labels(Labels.of(
                                "version",
                                ManifestVersion.version(versionOf),
                                "java_version",
                                Runtime.version().toString()))
                        .build())
                .build();
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(collector);
        registry.register((MultiCollector) () -> MetricSnapshots.of(buildInfo));
        HTTPServer http = HTTPServer.builder()
                .inetAddress(address.getAddress())
                .port(address.getPort())
                .registry(registry)
                .buildAndStart();
        return new MetricsServer(http);
    }

    /** The port actually bound. */
    public int port() {
        return http.getPort();
    }

    @Override
    public void close() {
        http.close();
    }
}
