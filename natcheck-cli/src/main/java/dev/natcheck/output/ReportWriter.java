package dev.natcheck.output;

import java.io.PrintWriter;

/** Prints a {@link Report} in one format. */
@FunctionalInterface
public interface ReportWriter {

    void write(Report report, PrintWriter out);
}
