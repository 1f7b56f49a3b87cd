package dev.natcheck.output;

import java.util.Locale;

/** The values of {@code -o}. */
public enum OutputFormat {
    TEXT,
    JSON,
    BRIEF,
    PROMETHEUS;

    /** The writer for this format; {@code verbose} adds probe notes to the text format. */
    public ReportWriter writer(boolean verbose) {
        return switch (this) {
            case TEXT -> new TextReport(verbose);
            case JSON -> new JsonReport();
            case BRIEF -> new BriefReport();
            case PROMETHEUS -> new PrometheusReport();
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
