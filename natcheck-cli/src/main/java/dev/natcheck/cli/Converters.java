package dev.natcheck.cli;

import dev.natcheck.address.AddressText;
import dev.natcheck.asn.AsnRecord;
import dev.natcheck.output.OutputFormat;
import dev.natcheck.probe.ServerSpec;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for natcheck's option types; each failure is a one-line reason. */
final class Converters {

    private Converters() {}

    /** The longest {@code --timeout} accepted: a check that takes longer is a mistake, not patience. */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

    /** {@code 500ms}, {@code 5s}, {@code 1.5s}, {@code 2m}, or ISO-8601 {@code PT5S}; positive, at most 10 minutes. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            Duration duration = parse(text.strip().toLowerCase(Locale.ROOT));
            if (duration.isNegative() || duration.isZero()) {
                throw new TypeConversionException("'" + text + "': the duration must be positive");
            }
            if (duration.compareTo(MAX_TIMEOUT) > 0) {
                throw new TypeConversionException("'" + text + "': at most " + MAX_TIMEOUT.toMinutes() + "m");
            }
            return duration;
        }

        private static Duration parse(String text) {
            Matcher m = DURATION.matcher(text);
            if (m.matches()) {
                BigDecimal amount = new BigDecimal(m.group(1));
                BigDecimal millis = switch (m.group(2)) {
                    case "ms" -> amount;
                    case "s" -> amount.scaleByPowerOfTen(3);
                    default -> amount.multiply(BigDecimal.valueOf(60_000));
                };
                if (millis.compareTo(BigDecimal.valueOf(MAX_TIMEOUT.toMillis() + 1)) > 0) {
                    return MAX_TIMEOUT.plusMillis(1);
                }
                return Duration.ofNanos(millis.scaleByPowerOfTen(6).longValue());
            }
            if (text.startsWith("pt")) {
                try {
                    return Duration.parse(text);
                } catch (DateTimeParseException e) {
                    // falls through to the message below
                }
            }
            throw new TypeConversionException("'" + text + "' is not a duration (examples: 500ms, 5s, 1.5s, 1m)");
        }
    }

    /** A TCP/UDP port, 1..65535. */
    static final class PortConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            int port = AddressText.parsePort(text.strip());
            if (port < 1) {
                throw new TypeConversionException("'" + text + "' is not a port number (1..65535)");
            }
            return port;
        }
    }

    /** {@code HOST[:PORT]} of a STUN server. */
    static final class ServerConverter implements ITypeConverter<ServerSpec> {
        @Override
        public ServerSpec convert(String text) {
            try {
                return ServerSpec.parse(text.strip());
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code 64500} or {@code AS64500}. */
    static final class AsnConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            String digits = text.strip();
            if (digits.regionMatches(true, 0, "AS", 0, 2)) {
                digits = digits.substring(2);
            }
            if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(Character::isDigit)) {
                throw new TypeConversionException("'" + text + "' is not an AS number (e.g. 64500 or AS64500)");
            }
            long asn = Long.parseLong(digits);
            if (asn > AsnRecord.MAX_ASN) {
                throw new TypeConversionException("'" + text + "' is above the largest AS number " + AsnRecord.MAX_ASN);
            }
            return asn;
        }
    }

    /** text, json, brief, prometheus (any case). */
    static final class OutputConverter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String text) {
            try {
                return OutputFormat.valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + text + "' is not an output format (one of "
                        + String.join(
                                ", ",
                                Arrays.stream(OutputFormat.values())
                                        .map(OutputFormat::toString)
                                        .toList())
                        + ")");
            }
        }
    }

    /** An IP literal with an optional port ({@code 127.0.0.1}, {@code 127.0.0.1:5353}, {@code [::1]:53}); never a name. */
    static final class ResolverConverter implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String text) {
            String value = text.strip();
            var withPort = AddressText.parseSocketAddress(value);
            if (withPort.isPresent() && withPort.get().getPort() > 0) {
                return withPort.get();
            }
            String bare = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
            InetAddress address = AddressText.parseAddress(bare)
                    .orElseThrow(() -> new TypeConversionException(
                            "'" + text + "' is not an IP address with an optional port (a resolver cannot be a name)"));
            return new InetSocketAddress(address, 53);
        }
    }
}
