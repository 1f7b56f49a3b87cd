package dev.natcheck.gateway;

import dev.natcheck.address.AddressText;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The SSDP search for an Internet Gateway Device (UPnP Device Architecture 1.1 section 1.3): an
 * M-SEARCH sent to the gateway itself (once) and, where allowed, to 239.255.255.250:1900 on the
 * gateway's interface (twice, TTL 1, so it never leaves the link). Only an answer from the gateway's own
 * address, naming a description URL on that same address, counts: natcheck asks the gateway for
 * its word and talks to nothing else.
 */
final class SsdpSearch {

    /** The SSDP multicast group and port (UPnP Device Architecture 1.1 section 1.1.2). */
    static final InetSocketAddress MULTICAST = new InetSocketAddress(ipv4(239, 255, 255, 250), 1900);
    /** The device type searched for; IGD:2 devices answer it too (UDA 1.1 section 1.3.2). */
    static final String SEARCH_TARGET = "urn:schemas-upnp-org:device:InternetGatewayDevice:1";
    /** Largest answer read; an SSDP answer is a few hundred bytes. */
    static final int MAX_ANSWER = 2048;
    /** Second search after this long, in case the first or its answer was lost. */
    static final long RESEND_MILLIS = 100;

    private SsdpSearch() {}

    /** What the search found: the description URL, or why there is none. */
    record Outcome(Optional<URI> location, String why, List<String> ignored) {}

    static Outcome search(InetAddress local, GatewayEndpoint gateway, Budget deadline) throws IOException {
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
                Selector selector = Selector.open()) {
            channel.bind(new InetSocketAddress(local, 0));
            channel.configureBlocking(false);
            boolean multicast = gateway.multicastSearch() && !local.isLoopbackAddress();
            NetworkInterface nic = multicast ? NetworkInterface.getByName(gateway.interfaceName()) : null;
            if (nic != null) {
                channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nic);
                channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1);
                channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
            }
            channel.register(selector, SelectionKey.OP_READ);
            InetSocketAddress unicast = new InetSocketAddress(gateway.address(), gateway.ssdpPort());
            List<String> ignored = new ArrayList<>();
            ByteBuffer buffer = ByteBuffer.allocate(MAX_ANSWER + 1);
            int sends = 0;
            long nextSend = System.nanoTime();
            while (!deadline.expired()) {
                if (sends < 2 && System.nanoTime() >= nextSend) {
                    // The unicast search goes once: to a gateway without UPnP it costs an ICMP port
                    // unreachable from the router's small ICMP allowance (Linux: a burst of 6, then 1
                    // a second), which the path probe's time-exceeded answers from that same router
                    // need. Multicast, which never draws ICMP, is sent twice against loss.
                    if (sends == 0) {
                        channel.send(ByteBuffer.wrap(request(AddressText.format(unicast), false)), unicast);
                    }
                    if (nic != null) {
                        channel.send(ByteBuffer.wrap(request("239.255.255.250:1900", true)), MULTICAST);
                    }
                    sends++;
                    nextSend = System.nanoTime() + RESEND_MILLIS * 1_000_000L;
                }
                selector.select(deadline.stepMillis(sends >= 2 ? Long.MAX_VALUE : nextSend));
                selector.selectedKeys().clear();
                while (true) {
                    buffer.clear();
                    InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                    if (from == null) {
                        break;
                    }
                    buffer.flip();
                    Optional<URI> location = read(buffer, from, gateway.address(), ignored);
                    if (location.isPresent()) {
                        return new Outcome(location, "", ignored);
                    }
                }
            }
            return new Outcome(
                    Optional.empty(),
                    ignored.isEmpty() ? "no SSDP answer in time" : "no usable SSDP answer in time",
                    ignored);
        }
    }

    /** The M-SEARCH request; MX only for the multicast one (UDA 1.1 section 1.3.2). */
    static byte[] request(String host, boolean multicast) {
        String text = "M-SEARCH * HTTP/1.1\r\n"
                + "HOST: " + host + "\r\n"
                + "MAN: \"ssdp:discover\"\r\n"
                + (multicast ? "MX: 1\r\n" : "")
                + "ST: " + SEARCH_TARGET + "\r\n"
                + "USER-AGENT: natcheck UPnP/1.1\r\n"
                + "\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The LOCATION of a search answer from the gateway, or empty (and a line in {@code ignored})
     * for anything else: another sender, not "200 OK", no or a foreign LOCATION, too long.
     */
    static Optional<URI> read(ByteBuffer datagram, InetSocketAddress from, InetAddress gateway, List<String> ignored) {
        if (!from.getAddress().equals(gateway)) {
            ignored.add("an SSDP answer from " + AddressText.format(from) + ", not the gateway");
            return Optional.empty();
        }
        if (datagram.remaining() > MAX_ANSWER) {
            ignored.add("an SSDP answer longer than " + MAX_ANSWER + " bytes");
            return Optional.empty();
        }
        String text = StandardCharsets.ISO_8859_1.decode(datagram).toString();
        String[] lines = text.split("\r?\n");
        if (lines.length == 0 || !lines[0].matches("HTTP/1\\.[01] 200( .*)?")) {
            ignored.add("an SSDP answer that is not \"HTTP/1.1 200 OK\"");
            return Optional.empty();
        }
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0
                    && line.substring(0, colon).trim().toUpperCase(Locale.ROOT).equals("LOCATION")) {
                String value = line.substring(colon + 1).trim();
                try {
                    URI uri = new URI(value);
                    if (!"http".equalsIgnoreCase(uri.getScheme()) || !sameHost(uri, gateway)) {
                        ignored.add("an SSDP answer whose LOCATION is not http:// on the gateway itself");
                        return Optional.empty();
                    }
                    return Optional.of(uri);
                } catch (URISyntaxException e) {
                    ignored.add("an SSDP answer with an unreadable LOCATION");
                    return Optional.empty();
                }
            }
        }
        ignored.add("an SSDP answer without LOCATION");
        return Optional.empty();
    }

    /** Whether {@code uri} names {@code gateway} by its address literal (never a name to resolve). */
    static boolean sameHost(URI uri, InetAddress gateway) {
        String host = uri.getHost();
        if (host == null) {
            return false;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return AddressText.parseAddress(host).map(gateway::equals).orElse(false);
    }

    private static InetAddress ipv4(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
