package dev.natcheck.command;

import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code ADDR:PORT}: {@code 127.0.0.1:9478}, {@code [::1]:9478}; a bare {@code :9478} means loopback. */
public final class SocketAddressConverter implements ITypeConverter<InetSocketAddress> {

    @Override
    public InetSocketAddress convert(String value) {
        String v = value.trim();
        int colon = v.lastIndexOf(':');
        if (colon < 0 || (v.startsWith("[") ? !v.substring(0, colon).endsWith("]") : v.indexOf(':') != colon)) {
            throw new TypeConversionException("'" + value + "' is not ADDR:PORT (e.g. 127.0.0.1:9478 or [::1]:9478)");
        }
        String host = v.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "': port is not a number");
        }
        if (port < 0 || port > 65_535) {
            throw new TypeConversionException("'" + value + "': port must be 0..65535");
        }
        return new InetSocketAddress(
                host.isEmpty() ? java.net.InetAddress.getLoopbackAddress() : IpLiteralConverter.parse(host), port);
    }
}
