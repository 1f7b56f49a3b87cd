package dev.natcheck.output;

import dev.natcheck.address.AddressText;
import dev.natcheck.punch.Candidate;
import dev.natcheck.punch.PeerRequests;
import dev.natcheck.punch.PunchOutcome;
import dev.natcheck.punch.PunchReport;
import dev.natcheck.punch.RelayedRound;
import dev.natcheck.punch.Timeline;
import dev.natcheck.relay.RelayOutcome;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code natcheck punch}'s text: both sides' NATs, the prediction and why, the timeline of the
 * checks (the first {@link #TIMELINE_LINES} events, all with {@code -v}), the result.
 */
public final class PunchTextReport {

    static final int TIMELINE_LINES = 40;

    private final boolean verbose;

    public PunchTextReport(boolean verbose) {
        this.verbose = verbose;
    }

    public void write(PunchReport report, PrintWriter out) {
        out.println("this side (" + report.side().text() + "): "
                + report.local().profile().describe() + "; "
                + candidates(report.local().candidates()));
        out.println("the peer: " + report.peer().profile().describe() + "; "
                + candidates(report.peer().candidates()));
        out.println("prediction: " + report.prediction().path().text()
                + (report.prediction().portPrediction() == dev.natcheck.punch.Prediction.PortPrediction.NONE
                        ? ""
                        : " (" + report.prediction().portPrediction().wireName() + ")")
                + ": " + report.prediction().reason());
        PunchOutcome outcome = report.outcome();
        List<Timeline.Event> events = outcome.timeline().events();
        out.println();
        out.println("timeline (from having both tokens):");
        int shown = verbose ? events.size() : Math.min(events.size(), TIMELINE_LINES);
        for (int i = 0; i < shown; i++) {
            out.println(events.get(i).line());
        }
        int hidden = events.size() - shown + outcome.timeline().omitted();
        if (hidden > 0) {
            out.println("  ... " + hidden + " more event(s)" + (verbose ? " not kept" : " (-v shows those kept)"));
        }
        out.println();
        PunchOutcome.Counts c = outcome.counts();
        out.println("sent " + c.checksSent() + " check(s)"
                + (c.probesSent() > 0 ? ", " + c.probesSent() + " birthday probe(s)" : "")
                + (c.portsOpened() > 0 ? ", opened " + c.portsOpened() + " port(s)" : "")
                + "; answered " + c.checksAnswered() + " of the peer's; " + c.answersReceived() + " answer(s) counted"
                + ignored(outcome));
        if (outcome.found()) {
            PunchOutcome.Path path = outcome.path().orElseThrow();
            out.println("result: direct path " + AddressText.format(path.local()) + " <-> "
                    + AddressText.format(path.remote()) + " ("
                    + path.remoteType().shortName() + "), confirmed "
                    + outcome.confirmedAfter().map(PunchTextReport::millis).orElse("?") + " after both tokens"
                    + rtt(outcome.rtt()));
        } else {
            out.println("result: no direct path: " + outcome.ending());
        }
        out.println((report.asPredicted() ? "as predicted (" : "NOT as predicted (")
                + report.prediction().path().text() + ")");
        relays(report, out);
        out.flush();
    }

    /** With --turn: each relay in a line, then the round through the relay against the direct one. */
    private static void relays(PunchReport report, PrintWriter out) {
        if (report.relays().isEmpty() && report.relayed().isEmpty()) {
            return;
        }
        out.println();
        for (RelayOutcome relay : report.relays()) {
            out.println("relay " + relay.server() + ": " + relay.result()
                    + relay.bestRtt()
                            .map(rtt -> ", " + millis(rtt) + " through it")
                            .orElse("")
                    + (relay.result().works() ? "" : " (" + relay.detail() + ")")
                    + switch (relay.release()) {
                        case RELEASED -> ", released";
                        case GONE -> ", gone";
                        case UNCONFIRMED -> ", release unconfirmed (the relay frees it when its lifetime ends)";
                        case NOTHING_ALLOCATED -> "";
                    });
        }
        if (report.relayed().isEmpty()) {
            return;
        }
        RelayedRound round = report.relayed().get();
        PunchOutcome through = round.outcome();
        String via = round.relay().map(r -> "this side's relay " + r).orElse("the peer's relay");
        if (through.found()) {
            PunchOutcome.Path path = through.path().orElseThrow();
            out.println("through a relay (" + via + "): " + AddressText.format(path.local()) + " <-> "
                    + AddressText.format(path.remote()) + " ("
                    + path.remoteType().shortName() + "), confirmed "
                    + through.confirmedAfter().map(PunchTextReport::millis).orElse("?") + " after the round began"
                    + rtt(through.rtt()));
        } else {
            out.println("through a relay (" + via + "): no path: " + through.ending());
        }
        out.println("direct against relayed round trip: " + best(report.outcome()) + " direct, " + best(through)
                + " through the relay");
    }

    private static String best(PunchOutcome outcome) {
        return outcome.rtt().stream()
                .min(Duration::compareTo)
                .map(PunchTextReport::millis)
                .orElse(outcome.found() ? "unmeasured" : "none");
    }

    private static String candidates(List<Candidate> candidates) {
        return candidates.isEmpty()
                ? "no candidate"
                : candidates.stream().map(Candidate::toString).collect(Collectors.joining(", "));
    }

    private static String ignored(PunchOutcome outcome) {
        String list = outcome.ignored().entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(java.util.Map.Entry.comparingByKey())
                .map(e -> e.getValue() + " " + reasonText(e.getKey()))
                .collect(Collectors.joining(", "));
        return list.isEmpty() ? "" : "; ignored " + list;
    }

    private static String rtt(List<Duration> rtt) {
        if (rtt.isEmpty()) {
            return "";
        }
        double avg = rtt.stream().mapToLong(Duration::toNanos).average().orElseThrow() / 1e6;
        return String.format(
                Locale.ROOT,
                "; round trip %s min, %.1f ms avg, %s max (%d check(s))",
                millis(rtt.stream().min(Duration::compareTo).orElseThrow()),
                avg,
                millis(rtt.stream().max(Duration::compareTo).orElseThrow()),
                rtt.size());
    }

    private static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    /** "wrong username": the reason as the text says it. */
    static String reasonText(PeerRequests.Reason reason) {
        return reason.wireName().replace('_', ' ');
    }
}
