package dev.natcheck.command;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.Layout;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * picocli's help with line breaks only at spaces, and never inside parentheses: picocli wraps
 * with the JDK's line breaker, which also breaks after '/', '.', ':' and so splits the paths and
 * URLs users copy ({@code ~/.} | {@code local/share/...}, {@code http://ADDR:} |
 * {@code PORT/metrics}) and parentheses ({@code (RFC} | {@code 5780)}). Option descriptions, the
 * description and the footer are wrapped here instead, to the same widths, before picocli sees
 * them; a path, URL or parenthesis longer than a whole line is the only thing still broken.
 */
public final class UnbrokenHelp extends Help {

    /** How far picocli indents the continuation lines of an option's description. */
    private static final int CONTINUATION = 2;

    private UnbrokenHelp(CommandSpec spec, ColorScheme scheme) {
        super(spec, scheme);
    }

    /** Makes {@code commandLine} and its subcommands (present and added later) render help this way. */
    public static CommandLine install(CommandLine commandLine) {
        commandLine.setHelpFactory(UnbrokenHelp::new);
        return commandLine;
    }

    @Override
    public Layout createDefaultLayout(
            List<OptionSpec> options, List<PositionalParamSpec> positionals, ColorScheme scheme) {
        Layout layout = super.createDefaultLayout(options, positionals, scheme);
        return new Layout(scheme, layout.textTable(), layout.optionRenderer(), layout.parameterRenderer()) {
            @Override
            public void layout(ArgSpec arg, Text[][] rows) {
                Column[] columns = table.columns();
                int last = columns.length - 1;
                int width = columns[last].width - columns[last].indent;
                for (Text[] row : rows) {
                    List<String> lines = wrap(row[last].plainString(), width, CONTINUATION);
                    for (int i = 0; i < lines.size(); i++) {
                        Text[] piece = new Text[row.length];
                        for (int c = 0; c < last; c++) {
                            piece[c] = i == 0 ? row[c] : scheme.text("");
                        }
                        piece[last] = scheme.text(lines.get(i));
                        table.addRowValues(piece);
                    }
                }
            }
        };
    }

    @Override
    public String description(Object... params) {
        return wrapSection(commandSpec().usageMessage().description(), params);
    }

    @Override
    public String footer(Object... params) {
        return wrapSection(commandSpec().usageMessage().footer(), params);
    }

    private String wrapSection(String[] paragraphs, Object... params) {
        StringBuilder text = new StringBuilder();
        int width = commandSpec().usageMessage().width();
        for (String paragraph : paragraphs) {
            for (String line : String.format(paragraph, params).split("\\R", -1)) {
                for (String piece : wrap(line, width, 0)) {
                    text.append(piece).append(System.lineSeparator());
                }
            }
        }
        return text.toString();
    }

    /**
     * {@code line} broken into lines of at most {@code width} characters, at spaces outside
     * parentheses only; continuation lines keep the line's own indentation plus {@code extra}.
     * A word or parenthesis longer than a line stands on a line of its own (a parenthesis is then
     * broken at its spaces, a word not at all).
     */
    static List<String> wrap(String line, int width, int extra) {
        if (line.length() <= width) {
            return List.of(line); // as written, aligned columns included
        }
        int leading = 0;
        while (leading < line.length() && line.charAt(leading) == ' ') {
            leading++;
        }
        String indent = " ".repeat(leading);
        String continuation = " ".repeat(leading + extra);
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder(indent);
        boolean empty = true;
        for (String unit : units(line.substring(leading), width - continuation.length())) {
            if (!empty && current.length() + 1 + unit.length() > width) {
                lines.add(current.toString());
                current = new StringBuilder(continuation);
                empty = true;
            }
            if (!empty) {
                current.append(' ');
            }
            current.append(unit);
            empty = false;
        }
        lines.add(current.toString());
        return lines;
    }

    /** The words of {@code text}, each parenthesis joined into one unit when it fits in {@code room}. */
    private static List<String> units(String text, int room) {
        List<String> units = new ArrayList<>();
        List<String> group = new ArrayList<>();
        int depth = 0;
        for (String word : text.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            group.add(word);
            for (char c : word.toCharArray()) {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            }
            if (depth <= 0) {
                String joined = String.join(" ", group);
                if (joined.length() <= room) {
                    units.add(joined);
                } else {
                    units.addAll(group);
                }
                group.clear();
                depth = 0;
            }
        }
        units.addAll(group); // an unclosed parenthesis: its words as they are
        return units;
    }
}
