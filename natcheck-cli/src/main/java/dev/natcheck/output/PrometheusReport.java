package dev.natcheck.output;

import dev.natcheck.classify.Reply;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * {@code -o prometheus}: the Prometheus text exposition format for node_exporter's textfile
 * collector. Written by hand rather than with the Java client library: five gauges from a
 * process that lives half a second do not need a registry, and the library's class loading
 * would cost a noticeable part of the CLI's start-up budget.
 */
public final class PrometheusReport implements ReportWriter {

    @Override
    public void write(Report report, PrintWriter out) {
        StringBuilder text = new StringBuilder(1024);
        header(text, "natcheck_verdict_info", "Verdict of the last natcheck run per interface and address family.");
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
        header(text, "natcheck_last_run_timestamp_seconds", "Unix time the last natcheck run finished.");
        text.append("natcheck_last_run_timestamp_seconds ")
                .append(number(report.finishedAt().toEpochMilli() / 1000.0))
                .append('\n');
        header(text, "natcheck_build_info", "natcheck version that produced these metrics.");
        text.append("natcheck_build_info{version=\"")
                .append(escape(report.version()))
                .append("\"} 1\n");
        out.print(text);
        out.flush();
    }

    private static void header(StringBuilder text, String name, String help) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n');
        text.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static String labels(Report.Entry entry) {
        return "interface=\"" + escape(entry.interfaceName()) + "\",family=\"" + entry.family() + "\"";
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
