package dev.natcheck.stunserver;

import dev.natcheck.address.AddressText;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link StunServer} listens on and how it answers.
 *
 * @param listen primary addresses; empty means every address, IPv4 and IPv6 (one dual-stack
 *     wildcard socket)
 * @param port primary UDP port; 0 picks an ephemeral port
 * @param alternate RFC 5780 alternate addresses, at most one per family; a family with an
 *     alternate must have exactly one (non-wildcard) primary address in {@code listen}, and the
 *     two form the four RFC 5780 sockets (address x port)
 * @param altPort alternate port; 0 picks an ephemeral one. Only used with an alternate address
 * @param allowAmplification answer even when the answer is larger than the request
 * @param rateLimit per-source token bucket, or {@link RateLimit#OFF}
 * @param software SOFTWARE attribute value; empty sends none
 */
public record StunServerConfig(
        List<InetAddress> listen,
        int port,
        List<InetAddress> alternate,
        int altPort,
        boolean allowAmplification,
        RateLimit rateLimit,
        String software) {

    /** The STUN port (RFC 8489 §18.4). */
    public static final int DEFAULT_PORT = 3478;

    /** The customary RFC 5780 alternate port. */
    public static final int DEFAULT_ALT_PORT = 3479;

    /** RFC 8489 §14.14: SOFTWARE must have fewer than 128 characters. */
    public static final int MAX_SOFTWARE_CHARACTERS = 127;

    public StunServerConfig {
        listen = List.copyOf(Objects.requireNonNull(listen, "listen"));
        alternate = List.copyOf(Objects.requireNonNull(alternate, "alternate"));
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(software, "software");
        checkPort("port", port);
        checkPort("altPort", altPort);
        if (software.codePointCount(0, software.length()) > MAX_SOFTWARE_CHARACTERS) {
            throw new IllegalArgumentException("software must have at most " + MAX_SOFTWARE_CHARACTERS + " characters");
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(software)) {
            throw new IllegalArgumentException("software is not valid Unicode text");
        }
        if (!alternate.isEmpty() && port == altPort && port != 0) {
            throw new IllegalArgumentException("port and altPort must differ for RFC 5780, both are " + port);
        }
        for (InetAddress alt : alternate) {
            if (alt.isAnyLocalAddress()) {
                throw new IllegalArgumentException("alternate " + AddressText.format(alt)
                        + " is a wildcard: RFC 5780 needs a concrete second address");
            }
            boolean v4 = alt instanceof Inet4Address;
            if (alternate.stream()
                            .filter(a -> (a instanceof Inet4Address) == v4)
                            .count()
                    > 1) {
                throw new IllegalArgumentException(
                        "at most one alternate address per family, got several " + family(alt));
            }
            List<InetAddress> primaries = listen.stream()
                    .filter(a -> (a instanceof Inet4Address) == v4)
                    .toList();
            if (primaries.size() != 1 || primaries.getFirst().isAnyLocalAddress()) {
                throw new IllegalArgumentException("alternate " + AddressText.format(alt) + " needs exactly one "
                        + family(alt) + " listen address that is not a wildcard to pair with, got " + primaries);
            }
            if (primaries.getFirst().equals(alt)) {
                throw new IllegalArgumentException(
                        "alternate " + AddressText.format(alt) + " is the same as the listen address");
            }
        }
    }

    private static void checkPort(String name, int value) {
        if (value < 0 || value > 65_535) {
            throw new IllegalArgumentException(name + " must be 0..65535, got " + value);
        }
    }

    private static String family(InetAddress address) {
        return address instanceof Inet4Address ? "IPv4" : "IPv6";
    }

    /** Every address, port 3478, no alternate, no amplification, the default rate limit. */
    public static StunServerConfig defaults() {
        return new StunServerConfig(List.of(), DEFAULT_PORT, List.of(), DEFAULT_ALT_PORT, false, RateLimit.DEFAULT, "");
    }

    /**
     * Loopback on an ephemeral port, IPv4 only (what {@code natcheck --local} wants); with an
     * alternate address (e.g. 127.0.0.2) it is a full RFC 5780 server on two ephemeral ports.
     */
    public static StunServerConfig loopbackEphemeral(InetAddress... alternate) {
        return new StunServerConfig(
                List.of(InetAddress.getLoopbackAddress()), 0, List.of(alternate), 0, false, RateLimit.DEFAULT, "");
    }

    /** Whether a family has an alternate address, making this an RFC 5780 server. */
    public boolean rfc5780() {
        return !alternate.isEmpty();
    }

    /** This configuration with other listen and alternate addresses. */
    public StunServerConfig withAddresses(List<InetAddress> newListen, List<InetAddress> newAlternate) {
        return new StunServerConfig(newListen, port, newAlternate, altPort, allowAmplification, rateLimit, software);
    }

    /** This configuration with other ports. */
    public StunServerConfig withPorts(int newPort, int newAltPort) {
        return new StunServerConfig(listen, newPort, alternate, newAltPort, allowAmplification, rateLimit, software);
    }

    /** This configuration with amplification allowed or not. */
    public StunServerConfig withAllowAmplification(boolean allow) {
        return new StunServerConfig(listen, port, alternate, altPort, allow, rateLimit, software);
    }

    /** This configuration with another rate limit. */
    public StunServerConfig withRateLimit(RateLimit newRateLimit) {
        return new StunServerConfig(listen, port, alternate, altPort, allowAmplification, newRateLimit, software);
    }

    /** This configuration with another SOFTWARE text (empty: none). */
    public StunServerConfig withSoftware(String newSoftware) {
        return new StunServerConfig(listen, port, alternate, altPort, allowAmplification, rateLimit, newSoftware);
    }
}
