package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every path, URL and parenthesis of natcheck's help texts comes out on one line, at several
 * terminal widths: the help is read and copied from, and {@code ~/.} | {@code local/share} cannot
 * be copied.
 */
class HelpLayoutTest {

    /** A run of non-blanks with a slash: a path or a URL. */
    private static final Pattern PATH = Pattern.compile("[^\\s(]*/[^\\s)]*[^\\s.,;:)]");
    /** A parenthesis without one inside. */
    private static final Pattern PARENTHESIS = Pattern.compile("\\([^()]*\\)");

    static Stream<Arguments> commandsAndWidths() {
        return Stream.of("natcheck", "asn", "completion")
                .flatMap(command -> Stream.of(80, 100, 132).map(width -> Arguments.of(command, width)));
    }

    @ParameterizedTest(name = "{0} --help at {1} columns")
    @MethodSource("commandsAndWidths")
    void noLineBreaksInsideAPathAUrlOrAParenthesis(String command, int width) {
        CommandLine root = Natcheck.commandLine(new Natcheck(UsageErrorsTest.OFFLINE));
        root.setUsageHelpAutoWidth(false);
        root.setUsageHelpWidth(width);
        CommandLine target =
                command.equals("natcheck") ? root : root.getSubcommands().get(command);
        String help = target.getUsageMessage(CommandLine.Help.Ansi.OFF);
        List<String> lines = help.lines().toList();

        List<String> spans = spans(target.getCommandSpec());
        assertThat(spans).as("the texts have paths and parentheses to check").isNotEmpty();
        for (String span : spans) {
            // Longer than the description column at 80: cannot fit, not checked.
            if (span.length() <= 40) {
                assertThat(lines)
                        .as("'%s' on one line of:%n%s", span, help)
                        .anySatisfy(l -> assertThat(l.replaceAll(" +", " ")).contains(span.replaceAll(" +", " ")));
            }
        }
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(width));
    }

    /** The paths, URLs and parentheses in the command's own texts. */
    private static List<String> spans(CommandSpec spec) {
        List<String> texts = new ArrayList<>();
        texts.addAll(List.of(spec.usageMessage().description()));
        texts.addAll(List.of(spec.usageMessage().footer()));
        for (OptionSpec option : spec.options()) {
            texts.addAll(List.of(option.description()));
        }
        List<String> spans = new ArrayList<>();
        for (String text : texts) {
            for (String line : text.split("%n")) {
                if (line.contains("${")) {
                    line = line.replaceAll("\\$\\{[^}]*}", "");
                }
                for (Pattern pattern : List.of(PATH, PARENTHESIS)) {
                    Matcher m = pattern.matcher(line);
                    while (m.find()) {
                        spans.add(m.group());
                    }
                }
            }
        }
        return spans;
    }
}
