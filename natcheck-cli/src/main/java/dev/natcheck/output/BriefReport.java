package dev.natcheck.output;

import java.io.PrintWriter;

/**
 * {@code -o brief}: one line per probe, {@code interface TAB family TAB verdict TAB mapped}, with
 * "-" for a missing mapped address; nothing else, so {@code cut} and {@code awk} just work.
 */
public final class BriefReport implements ReportWriter {

    @Override
    public void write(Report report, PrintWriter out) {
        for (Report.Entry entry : report.entries()) {
            out.print(clean(entry.interfaceName()) + "\t" + entry.family() + "\t" + entry.verdict() + "\t"
                    + entry.mapped().orElse("-") + "\n");
        }
        out.flush();
    }

    // Interface names come from the OS; a tab or newline in one would break the columns.
    private static String clean(String field) {
        return field.replaceAll("[\\t\\r\\n]", "_");
    }
}
