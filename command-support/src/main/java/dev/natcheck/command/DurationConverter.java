package dev.natcheck.command;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads every duration flag of every natcheck command, in one syntax: a number with a unit,
 * {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 2m}, {@code 1h} (any case), or ISO-8601
 * {@code PT10S}. Never negative; whether zero or a long time makes sense is the flag's own check.
 */
public class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,12}(?:\\.\\d{1,9})?)(ms|s|m|h)");
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    @Override
    public Duration convert(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(text);
        if (m.matches()) {
            BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2))));
            if (nanos.compareTo(MAX_NANOS) > 0) {
                throw new TypeConversionException("'" + value + "' is too long a duration");
            }
            return Duration.ofNanos(nanos.longValue());
        }
        if (text.startsWith("pt")) {
            try {
                Duration duration = Duration.parse(text);
                if (!duration.isNegative()) {
                    return duration;
                }
            } catch (DateTimeParseException e) {
                // falls through to the message below
            }
        }
        throw new TypeConversionException("'" + value + "' is not a duration (examples: 500ms, 1.5s, 2m, 1h, PT10S)");
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
    }
}
