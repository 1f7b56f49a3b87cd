package dev.natcheck.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** The one duration syntax of every natcheck command's flags. */
class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
      500ms   | PT0.5S
      10s     | PT10S
      1.5s    | PT1.5S
      2m      | PT2M
      1h      | PT1H
      1H      | PT1H
      ' 3s '  | PT3S
      0s      | PT0S
      0.25ms  | PT0.00025S
      PT3S    | PT3S
      pt1m30s | PT1M30S
      """)
    void readsEveryUnitAndIso8601(String text, String iso) {
        assertThat(converter.convert(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "5", "abc", "-1s", "1.s", ".5s", "1d", "1 s", "PT-3S", "P1D", "1e3s"})
    void refusesAnythingElseInOneLine(String text) {
        assertThatThrownBy(() -> converter.convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + text + "' is not a duration (examples: 500ms, 1.5s, 2m, 1h, PT10S)");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"999999999999h", "999999999999m"})
    void aDurationTooLongForNanosecondsIsRefusedNotWrapped(String text) {
        assertThatThrownBy(() -> converter.convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + text + "' is too long a duration");
    }
}
