package dev.natcheck.output;

import dev.natcheck.classify.NatKind;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code -o text}, the default: a table with one row per interface and family, then a one-line
 * summary per row followed by the evidence behind its verdict ({@code -v} adds what the probe
 * saw along the way: servers tried, answers ignored, timings).
 */
public final class TextReport implements ReportWriter {

    private static final String[] HEADERS = {"INTERFACE", "FAMILY", "VERDICT", "NAT", "LOCAL", "MAPPED", "VIA", "RTT"};

    private final boolean verbose;

    public TextReport(boolean verbose) {
        this.verbose = verbose;
    }

    @Override
    public void write(Report report, PrintWriter out) {
        if (report.entries().isEmpty()) {
            out.println("No interface to probe.");
            out.flush();
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (Report.Entry entry : report.entries()) {
            rows.add(new String[] {
                entry.interfaceName(),
                entry.family(),
                entry.verdict().name(),
                entry.classification().nat().name(),
                entry.local(),
                entry.mapped().orElse("-"),
                entry.outcome().transport().map(t -> t.wireName()).orElse("-"),
                entry.rttMillis()
                        .map(ms -> String.format(Locale.ROOT, "%.1f ms", ms))
                        .orElse("-")
            });
        }
        int[] widths = new int[HEADERS.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 2));
            }
            out.println(line.toString().stripTrailing());
        }
        for (Report.Entry entry : report.entries()) {
            out.println();
            out.println(entry.interfaceName() + " " + entry.family() + ": " + summary(entry));
            for (String line : entry.classification().evidence()) {
                out.println("  - " + line);
            }
            if (entry.outcome().target().loopback()) {
                out.println("  - interface " + entry.interfaceName()
                        + " is loopback: this checked servers on this host, not the way to the Internet");
            }
            if (verbose) {
                for (String line : entry.outcome().notes()) {
                    out.println("  . " + line);
                }
            }
            entry.behavior().ifPresent(behavior -> BehaviorText.write(behavior, verbose, out));
        }
        out.flush();
    }

    /** The verdict in words, one line. */
    static String summary(Report.Entry entry) {
        NatKind nat = entry.classification().nat();
        String mapped = entry.mapped().map(m -> ", seen as " + m).orElse("");
        return switch (entry.verdict()) {
            case NO_NAT -> "no NAT" + mapped;
            case CPE_NAT -> "behind a home router's NAT (CPE)" + mapped;
            case CG_NAT -> "behind carrier-grade NAT (CG-NAT)" + mapped;
            case NAT66 -> "IPv6 address translation (NAT66)" + mapped;
            case SYMMETRIC_NAT ->
                "symmetric NAT (" + natName(nat) + "): the mapping changes per destination, "
                        + "peer-to-peer will struggle" + mapped;
            case UDP_BLOCKED -> "UDP is blocked, TCP gets through (" + natName(nat) + ")" + mapped;
            case BLOCKED -> "nothing answered: neither UDP nor TCP gets through";
        };
    }

    private static String natName(NatKind nat) {
        return switch (nat) {
            case NONE -> "no NAT";
            case CPE -> "home router NAT";
            case CGNAT -> "carrier-grade NAT";
            case NAT66 -> "NAT66";
            case UNKNOWN -> "NAT unknown";
        };
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
