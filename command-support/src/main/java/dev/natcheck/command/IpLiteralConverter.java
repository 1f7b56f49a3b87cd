package dev.natcheck.command;

import dev.natcheck.address.AddressText;
import java.net.InetAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an address flag: an IPv4 or IPv6 literal, brackets allowed ({@code [::1]}). Host names
 * are refused rather than resolved, so a daemon never waits on DNS to start.
 */
public final class IpLiteralConverter implements ITypeConverter<InetAddress> {

    @Override
    public InetAddress convert(String value) {
        return parse(value);
    }

    public static InetAddress parse(String value) {
        String literal = value.trim();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        return AddressText.parseAddress(literal)
                .orElseThrow(() -> new TypeConversionException(
                        "'" + value + "' is not an IP address literal (host names are not resolved)"));
    }
}
