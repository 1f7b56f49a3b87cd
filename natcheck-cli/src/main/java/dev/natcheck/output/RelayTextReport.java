package dev.natcheck.output;

import dev.natcheck.address.AddressText;
import dev.natcheck.relay.RelayOutcome;
import dev.natcheck.relay.RelayReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * {@code natcheck relay} as text: a summary line (how many relays work, the fastest), a table with
 * one row per relay, then one line per relay saying what happened ({@code -v} adds what else was
 * seen: challenges answered, datagrams ignored).
 */
public final class RelayTextReport {

    private static final String[] HEADERS = {"RELAY", "VIA", "RESULT", "ALLOCATE", "RTT", "RELAYED", "RELEASED"};

    private final boolean verbose;

    public RelayTextReport(boolean verbose) {
        this.verbose = verbose;
    }

    public void write(RelayReport report, PrintWriter out) {
        TextTable.writePrintable(text -> render(report, text), out);
    }

    private void render(RelayReport report, PrintWriter out) {
        out.println(summary(report));
        out.println();
        OptionalInt fastest = report.fastest();
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (int i = 0; i < report.outcomes().size(); i++) {
            RelayOutcome o = report.outcomes().get(i);
            rows.add(new String[] {
                o.server().toString(),
                o.server().transport().wireName(),
                o.result().name(),
                o.allocation().map(RelayTextReport::millis).orElse("-"),
                o.bestRtt().map(RelayTextReport::millis).orElse("-"),
                o.relayed().map(AddressText::format).orElse("-"),
                released(o) + (fastest.isPresent() && fastest.getAsInt() == i ? "  <- fastest" : "")
            });
        }
        TextTable.write(rows, out);
        out.println();
        for (RelayOutcome o : report.outcomes()) {
            out.println(o.server() + ": " + o.detail());
            if (verbose) {
                o.serverRtt().ifPresent(rtt -> out.println("  round trip to the relay itself: " + millis(rtt)));
                if (!o.rtt().isEmpty()) {
                    out.println("  round trips through the relay: "
                            + String.join(
                                    ", ",
                                    o.rtt().stream()
                                            .map(RelayTextReport::millis)
                                            .toList()));
                }
                o.local()
                        .ifPresent(local -> out.println("  from " + AddressText.format(local)
                                + o.mapped()
                                        .map(m -> ", seen by the relay as " + AddressText.format(m))
                                        .orElse("")));
                if (o.relayed().isPresent()) {
                    out.println("  lifetime " + o.lifetimeSeconds() + " s; channel "
                            + (o.channelBound() ? "bound" : "not bound"));
                }
                for (String line : o.evidence()) {
                    out.println("  " + line);
                }
            }
        }
    }

    private static String summary(RelayReport report) {
        String head = report.interrupted() ? "Interrupted; allocations released. " : "";
        long working = report.working();
        int total = report.outcomes().size();
        OptionalInt fastest = report.fastest();
        if (fastest.isEmpty()) {
            return head + (total == 1 ? "The relay does not work" : "None of the " + total + " relays works")
                    + " from here (credentials: " + report.credentials() + ").";
        }
        RelayOutcome best = report.outcomes().get(fastest.getAsInt());
        String speed = best.bestRtt()
                .map(rtt -> ", " + millis(rtt) + " through the relay")
                .orElse("");
        return head + working + " of " + total + " relay" + (total == 1 ? "" : "s") + " work"
                + (working == 1 ? "s" : "") + " from here; fastest: " + best.server() + speed + " (credentials: "
                + report.credentials() + ").";
    }

    private static String released(RelayOutcome o) {
        return switch (o.release()) {
            case RELEASED -> "yes";
            case GONE -> "gone";
            case UNCONFIRMED ->
                "NO (expires" + (o.lifetimeSeconds() > 0 ? " within " + o.lifetimeSeconds() + " s" : "") + ")";
            case NOTHING_ALLOCATED -> "-";
        };
    }

    static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }
}
