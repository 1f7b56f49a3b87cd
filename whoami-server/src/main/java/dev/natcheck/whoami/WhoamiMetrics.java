package dev.natcheck.whoami;

import dev.natcheck.command.MetricsServer;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * whoami-server's Prometheus endpoint ({@code --metrics ADDR:PORT}, served by
 * {@link MetricsServer}), read from the server's counters when scraped:
 *
 * <pre>
 * whoami_build_info{version, java_version}
 * whoami_connections_open                          held now (line sent, client not gone yet)
 * whoami_lines_served_total                        address lines written completely
 * whoami_connections_closed_total{reason="limit"}  oldest closed to stay within --max-connections
 * whoami_connections_closed_total{reason="idle_timeout"}  closed by --idle-timeout
 * </pre>
 */
public final class WhoamiMetrics {

    private WhoamiMetrics() {}

    /** Starts serving the counters of {@code server} on {@code address} (port 0: ephemeral). */
    public static MetricsServer start(InetSocketAddress address, WhoamiServer server) throws IOException {
        return MetricsServer.start(address, "whoami", WhoamiMetrics.class, () -> snapshot(server));
    }

    static MetricSnapshots snapshot(WhoamiServer server) {
        return MetricSnapshots.of(
                GaugeSnapshot.builder()
                        .name("whoami_connections_open")
                        .help("Client connections held now: line sent, waiting for the client to close")
                        .dataPoint(GaugeDataPointSnapshot.builder()
                                .value(server.openConnections())
                                .build())
                        .build(),
                CounterSnapshot.builder()
                        .name("whoami_lines_served")
                        .help("Address lines written completely to a client")
                        .dataPoint(counter(server.served(), Labels.EMPTY))
                        .build(),
                CounterSnapshot.builder()
                        .name("whoami_connections_closed")
                        .help("Held connections the server closed: the oldest at --max-connections (limit), "
                                + "or after --idle-timeout (idle_timeout)")
                        .dataPoint(counter(server.evicted(), Labels.of("reason", "limit")))
                        .dataPoint(counter(server.timedOut(), Labels.of("reason", "idle_timeout")))
                        .build());
    }

    private static CounterDataPointSnapshot counter(long value, Labels labels) {
        return CounterDataPointSnapshot.builder().value(value).labels(labels).build();
    }
}
