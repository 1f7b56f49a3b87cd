package dev.natcheck.cli;

import dev.natcheck.address.AddressText;
import dev.natcheck.asn.AsnRecord;
import dev.natcheck.command.DurationConverter;
import dev.natcheck.output.OutputFormat;
import dev.natcheck.probe.ServerSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for natcheck's option types; each failure is a one-line reason. */
final class Converters {

    private Converters() {}

    /** The longest {@code --timeout} accepted: a check that takes longer is a mistake, not patience. */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    /** A duration flag of the check ({@code --timeout}, {@code --lifetime}): positive, at most 10 minutes. */
    static final class TimeoutConverter extends DurationConverter {
        @Override
        public Duration convert(String text) {
            Duration duration = super.convert(text);
            if (duration.isZero()) {
                throw new TypeConversionException("'" + text + "': the duration must be positive");
            }
            if (duration.compareTo(MAX_TIMEOUT) > 0) {
                throw new TypeConversionException("'" + text + "': at most " + MAX_TIMEOUT.toMinutes() + "m");
            }
            return duration;
        }
    }

    /** The shortest {@code --every}: a check, not a ping. */
    static final Duration MIN_EVERY = Duration.ofSeconds(1);

    /** The longest {@code --every}; rarer checks are a timer's or cron's job. */
    static final Duration MAX_EVERY = Duration.ofDays(1);

    /** {@code --every}: from 1 second to 1 day. */
    static final class EveryConverter extends DurationConverter {
        @Override
        public Duration convert(String text) {
            Duration duration = super.convert(text);
            if (duration.compareTo(MIN_EVERY) < 0) {
                throw new TypeConversionException("'" + text + "': at least " + text(MIN_EVERY));
            }
            if (duration.compareTo(MAX_EVERY) > 0) {
                throw new TypeConversionException(
                        "'" + text + "': at most " + text(MAX_EVERY) + " (for rarer checks use a timer or cron)");
            }
            return duration;
        }
    }

    /** A duration in one unit, as the flags take it: {@code 24h}, {@code 90m}, {@code 5s}, {@code 1500ms}. */
    static String text(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis != 0 && millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
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
