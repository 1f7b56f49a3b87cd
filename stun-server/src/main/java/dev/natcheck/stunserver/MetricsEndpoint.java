package dev.natcheck.stunserver;

import dev.natcheck.command.MetricsServer;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * stun-server's Prometheus endpoint ({@code --metrics ADDR:PORT}, served by {@link MetricsServer}).
 * Counters are read from the server when scraped, so the receive loops never touch the metrics
 * library.
 *
 * <pre>
 * stun_build_info{version, java_version}
 * stun_received_datagrams_total
 * stun_responses_total{class="success"|"error"}
 * stun_dropped_datagrams_total{reason="malformed"|"not_request"|"not_binding"|"amplification"|"rate_limited"|"loop"}
 * stun_send_failures_total
 * </pre>
 */
public final class MetricsEndpoint implements AutoCloseable {

    private final MetricsServer http;

    private MetricsEndpoint(MetricsServer http) {
        this.http = http;
    }

    /** Starts serving the counters of {@code server} on {@code address} (port 0: ephemeral). */
    public static MetricsEndpoint start(InetSocketAddress address, StunServer server) throws IOException {
        return new MetricsEndpoint(
                MetricsServer.start(address, "stun", MetricsEndpoint.class, () -> snapshot(server.counts())));
    }

    static MetricSnapshots snapshot(Map<Counter, Long> counts) {
        CounterSnapshot.Builder dropped = CounterSnapshot.builder()
                .name("stun_dropped_datagrams")
                .help("Datagrams received and not answered, by reason");
        for (Map.Entry<Counter, Long> e : counts.entrySet()) {
            if (e.getKey().isDrop()) {
                dropped.dataPoint(point(e.getValue(), "reason", e.getKey().label()));
            }
        }
        return MetricSnapshots.of(
                CounterSnapshot.builder()
                        .name("stun_received_datagrams")
                        .help("UDP datagrams received on every socket")
                        .dataPoint(point(counts.get(Counter.RECEIVED)))
                        .build(),
                CounterSnapshot.builder()
                        .name("stun_responses")
                        .help("Binding responses sent, by class")
                        .dataPoint(point(counts.get(Counter.ANSWERED), "class", "success"))
                        .dataPoint(point(counts.get(Counter.ANSWERED_ERROR), "class", "error"))
                        .build(),
                dropped.build(),
                CounterSnapshot.builder()
                        .name("stun_send_failures")
                        .help("Answers the operating system refused to send")
                        .dataPoint(point(counts.get(Counter.SEND_FAILED)))
                        .build());
    }

    private static CounterDataPointSnapshot point(long value, String... labels) {
        return CounterDataPointSnapshot.builder()
                .value(value)
                .labels(Labels.of(labels))
                .build();
    }

    /** The port actually bound. */
    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
    }
}
