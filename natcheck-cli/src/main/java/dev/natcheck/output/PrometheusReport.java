package dev.natcheck.output;

import dev.natcheck.behavior.BehaviorReport;
import dev.natcheck.behavior.EndpointDependence;
import dev.natcheck.behavior.Finding;
import dev.natcheck.classify.Reply;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code -o prometheus} and {@code --prometheus-file}: the Prometheus text exposition format for
 * node_exporter's textfile collector, every metric a gauge. Written by hand rather than with the
 * Java client library: a dozen gauges from a process that lives half a second do not need a
 * registry, and the library's class loading would cost a noticeable part of the CLI's start-up
 * budget.
 *
 * <p>Labels are the interface name, the family and enumerations natcheck defines; never an
 * address, a server name or any other value without a bound, so a fleet's series count stays
 * the number of hosts times their interfaces. The metrics and the PromQL that reads them:
 * docs/operations.md, "Fleet monitoring".
 */
public final class PrometheusReport implements ReportWriter {

    private final RunHistory previous;
    private final Optional<Instant> started;

    /** This run on its own: no earlier runs, no run duration. */
    public PrometheusReport() {
        this(RunHistory.NONE, Optional.empty());
    }

    /**
     * @param previous the history before this run; the output counts this run in
     * @param started when this run began, for {@code natcheck_run_duration_seconds}
     */
    public PrometheusReport(RunHistory previous, Optional<Instant> started) {
        this.previous = Objects.requireNonNull(previous, "previous");
        this.started = Objects.requireNonNull(started, "started");
    }

    @Override
    public void write(Report report, PrintWriter out) {
        StringBuilder text = new StringBuilder(2048);
        header(
                text,
                "natcheck_verdict_info",
                "Verdict and NAT kind of the last natcheck run per interface and address family.");
        for (Report.Entry entry : report.entries()) {
            text.append("natcheck_verdict_info{")
                    .append(labels(entry))
                    .append(",verdict=\"")
                    .append(entry.verdict().name())
                    .append("\",nat=\"")
                    .append(entry.classification().nat().name())
                    .append("\"} 1\n");
        }
        header(text, "natcheck_stun_rtt_seconds", "Round-trip time of the STUN binding that answered.");
        for (Report.Entry entry : report.entries()) {
            if (entry.outcome().transport().map(t -> t.wireName().equals("udp")).orElse(false)) {
                text.append("natcheck_stun_rtt_seconds{")
                        .append(labels(entry))
                        .append("} ")
                        .append(number(entry.rttMillis().orElseThrow() / 1000.0))
                        .append('\n');
            }
        }
        header(
                text,
                "natcheck_udp_reachable",
                "1 when a STUN server answered over UDP (with an address or, like an error, without), 0 otherwise.");
        for (Report.Entry entry : report.entries()) {
            Reply reply = entry.outcome().observation().udp();
            boolean udp = reply == Reply.ADDRESS || reply == Reply.UNUSABLE;
            text.append("natcheck_udp_reachable{")
                    .append(labels(entry))
                    .append("} ")
                    .append(udp ? 1 : 0)
                    .append('\n');
        }
        header(
                text,
                "natcheck_nat_layers",
                "NATs in a row between this host and the Internet (0 none); absent when unknown.");
        for (Report.Entry entry : report.entries()) {
            if (entry.classification().natLayers().isPresent()) {
                text.append("natcheck_nat_layers{")
                        .append(labels(entry))
                        .append("} ")
                        .append(entry.classification().natLayers().getAsInt())
                        .append('\n');
            }
        }
        behavior(
                text,
                report,
                "natcheck_nat_mapping_info",
                "mapping",
                "NAT mapping behaviour (RFC 5780 section 4.3) with --behavior, or why it is unknown.",
                BehaviorReport::mapping);
        behavior(
                text,
                report,
                "natcheck_nat_filtering_info",
                "filtering",
                "NAT filtering behaviour (RFC 5780 section 4.4) with --behavior, or why it is unknown.",
                BehaviorReport::filtering);
        RunHistory history = previous.after(report);
        header(text, "natcheck_last_run_timestamp_seconds", "Unix time the last natcheck run finished.");
        text.append("natcheck_last_run_timestamp_seconds ")
                .append(seconds(report.finishedAt()))
                .append('\n');
        if (history.lastSuccess().isPresent()) {
            header(
                    text,
                    RunHistory.LAST_SUCCESS,
                    "Unix time a natcheck run last learned an outside address on some interface.");
            text.append(RunHistory.LAST_SUCCESS)
                    .append(' ')
                    .append(seconds(history.lastSuccess().get()))
                    .append('\n');
        }
        header(
                text,
                RunHistory.CONSECUTIVE_FAILURES,
                "natcheck runs in a row that learned no outside address on any interface, or broke.");
        text.append(RunHistory.CONSECUTIVE_FAILURES)
                .append(' ')
                .append(history.consecutiveFailures())
                .append('\n');
        if (started.isPresent()) {
            Duration took = Duration.between(started.get(), report.finishedAt());
            header(text, "natcheck_run_duration_seconds", "How long the last natcheck run took.");
            text.append("natcheck_run_duration_seconds ")
                    .append(number(Math.max(0, took.toNanos()) / 1e9))
                    .append('\n');
        }
        header(text, "natcheck_build_info", "natcheck version that produced these metrics.");
        text.append("natcheck_build_info{version=\"")
                .append(escape(report.version()))
                .append("\"} 1\n");
        out.print(text);
        out.flush();
    }

    /**
     * One {@code --behavior} finding as an info metric: the measured value's name
     * ({@code endpoint-independent}, ...) or the reason there is none ({@code inconclusive},
     * {@code not-supported-by-server}, ...), the same words as the brief output. Nothing without
     * {@code --behavior}.
     */
    private static void behavior(
            StringBuilder text,
            Report report,
            String name,
            String label,
            String help,
            Function<BehaviorReport, Finding<EndpointDependence>> finding) {
        if (report.entries().stream().noneMatch(e -> e.behavior().isPresent())) {
            return;
        }
        header(text, name, help);
        for (Report.Entry entry : report.entries()) {
            if (entry.behavior().isEmpty()) {
                continue;
            }
            Finding<EndpointDependence> found = finding.apply(entry.behavior().get());
            String value = switch (found) {
                case Finding.Measured<EndpointDependence> m -> m.measured().wireName();
                case Finding.Unknown<EndpointDependence> u -> u.reason().token();
            };
            text.append(name)
                    .append('{')
                    .append(labels(entry))
                    .append(',')
                    .append(label)
                    .append("=\"")
                    .append(value)
                    .append("\"} 1\n");
        }
    }

    private static void header(StringBuilder text, String name, String help) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n');
        text.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static String labels(Report.Entry entry) {
        return "interface=\"" + escape(entry.interfaceName()) + "\",family=\"" + entry.family() + "\"";
    }

    private static String seconds(Instant instant) {
        return number(instant.toEpochMilli() / 1000.0);
    }

    private static String number(double value) {
        String text = String.format(Locale.ROOT, "%.6f", value);
        return text.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** Label value escaping of the exposition format: backslash, double quote, newline. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
