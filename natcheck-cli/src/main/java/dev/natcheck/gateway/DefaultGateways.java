package dev.natcheck.gateway;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** IPv4 default gateways per interface, read from Linux's {@code /proc/net/route} (empty elsewhere). */
public final class DefaultGateways {

    private static final Path ROUTES = Path.of("/proc/net/route");
    private static final int RTF_UP = 0x1;
    private static final int RTF_GATEWAY = 0x2;

    private DefaultGateways() {}

    /** Interface name to its default gateway, from this host's routing table. */
    public static Map<String, InetAddress> system() {
        try {
            return parse(Files.readAllLines(ROUTES));
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            return Map.of();
        }
    }

    /**
     * Parses {@code /proc/net/route}: per line interface, destination, gateway (little-endian
     * hex), flags (hex), ... ; a default route has destination and mask 0 and flags UP|GATEWAY.
     */
    public static Map<String, InetAddress> parse(List<String> lines) {
        Map<String, InetAddress> gateways = new LinkedHashMap<>();
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 8 || fields[0].equals("Iface")) {
                continue;
            }
            try {
                long destination = Long.parseLong(fields[1], 16);
                int flags = Integer.parseInt(fields[3], 16);
                long mask = Long.parseLong(fields[7], 16);
                if (destination != 0 || mask != 0 || (flags & (RTF_UP | RTF_GATEWAY)) != (RTF_UP | RTF_GATEWAY)) {
                    continue;
                }
                Optional<InetAddress> gateway = littleEndian(Long.parseLong(fields[2], 16));
                gateway.ifPresent(g -> gateways.putIfAbsent(fields[0], g));
            } catch (NumberFormatException e) {
                // a line this parser does not understand is not a default route
            }
        }
        return gateways;
    }

    private static Optional<InetAddress> littleEndian(long value) {
        byte[] bytes = {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)};
        try {
            InetAddress address = InetAddress.getByAddress(bytes);
            return address instanceof Inet4Address && !address.isAnyLocalAddress()
                    ? Optional.of(address)
                    : Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
