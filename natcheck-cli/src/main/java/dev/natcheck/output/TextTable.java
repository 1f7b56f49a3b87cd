package dev.natcheck.output;

import dev.natcheck.classify.UntrustedText;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Consumer;

/** What the text reports share: left-aligned columns, and every line made printable before it is shown. */
final class TextTable {

    private TextTable() {}

    /**
     * Renders into a buffer, then writes each finished line through {@link UntrustedText#printable}: the
     * last guard, whatever a server managed to put into a line is shown, never obeyed.
     */
    static void writePrintable(Consumer<PrintWriter> render, PrintWriter out) {
        StringWriter text = new StringWriter();
        render.accept(new PrintWriter(text));
        String[] lines = text.toString().split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            out.println(UntrustedText.printable(lines[i]));
        }
        out.flush();
    }

    /** The rows (the first one the headers) in columns two spaces apart, the last column not padded. */
    static void write(List<String[]> rows, PrintWriter out) {
        int[] widths = new int[rows.getFirst().length];
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
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
