package dev.natcheck.output;

import dev.natcheck.address.AddressText;
import dev.natcheck.punch.Candidate;
import dev.natcheck.punch.PeerRequests;
import dev.natcheck.punch.PunchOutcome;
import dev.natcheck.punch.PunchReport;
import dev.natcheck.punch.Timeline;
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
        out.flush();
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
