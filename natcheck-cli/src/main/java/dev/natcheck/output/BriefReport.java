package dev.natcheck.output;

import dev.natcheck.classify.UntrustedText;
import java.io.PrintWriter;

/**
 * {@code -o brief}: one line per probe, {@code interface TAB family TAB verdict TAB mapped}, with
 * "-" for a missing mapped address; nothing else, so {@code cut} and {@code awk} just work. With
 * {@code --behavior}, five more columns: mapping, filtering, hairpin, ALG, RFC 3489 name (see
 * {@link BehaviorText#columns}). The last column is the number of NATs in a row ("-" when
 * unknown); it comes last so that every earlier column keeps its place.
 */
public final class BriefReport implements ReportWriter {

    @Override
    public void write(Report report, PrintWriter out) {
        boolean behavior = report.entries().stream().anyMatch(e -> e.behavior().isPresent());
        for (Report.Entry entry : report.entries()) {
            out.print(clean(entry.interfaceName()) + "\t" + entry.family() + "\t" + entry.verdict() + "\t"
                    + entry.mapped().orElse("-"));
            if (behavior) {
                for (String column : BehaviorText.columns(entry.behavior())) {
                    out.print("\t" + column);
                }
            }
            out.print("\t" + layers(entry) + "\n");
        }
        out.flush();
    }

    private static String layers(Report.Entry entry) {
        return entry.classification().natLayers().isPresent()
                ? Integer.toString(entry.classification().natLayers().getAsInt())
                : "-";
    }

    // Interface names come from the OS; a tab or newline in one would break the columns, and any
    // other control character is shown escaped rather than sent to the terminal.
    private static String clean(String field) {
        return UntrustedText.printable(field.replaceAll("[\\t\\r\\n]", "_"));
    }
}
