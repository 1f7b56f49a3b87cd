package dev.natcheck.behavior;

import dev.natcheck.classify.AddressText;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One local UDP socket of a behaviour test, bound to the interface's address on a random port.
 *
 * <p>RFC 5780 section 4.1: filtering and lifetime tests are only meaningful from a port that sent
 * nothing recently, and an operating system may hand out the same port again and again. So the
 * port is drawn at random from the dynamic range 49152-65535, as the RFC recommends, with the
 * kernel's choice as the last resort.
 */
final class Port implements AutoCloseable {

    static final int DYNAMIC_LOW = 49152;
    static final int DYNAMIC_HIGH = 65535;
    private static final int RANDOM_ATTEMPTS = 8;

    final String role;
    final DatagramChannel channel;
    final InetSocketAddress local;
    final Optional<InetSocketAddress> connected;

    private Port(String role, DatagramChannel channel, InetSocketAddress local, Optional<InetSocketAddress> connected) {
        this.role = role;
        this.channel = channel;
        this.local = local;
        this.connected = connected;
    }

    /**
     * Opens a non-blocking socket on {@code address}; connected to {@code peer} when given, so that
     * ICMP errors from it surface as exceptions.
     */
    static Port open(String role, InetAddress address, Optional<InetSocketAddress> peer, RandomGenerator random)
            throws IOException {
        DatagramChannel channel = DatagramChannel.open(
                address instanceof java.net.Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        try {
            bind(channel, address, random);
            if (peer.isPresent()) {
                channel.connect(peer.get());
            }
            channel.configureBlocking(false);
            return new Port(role, channel, (InetSocketAddress) channel.getLocalAddress(), peer);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void bind(DatagramChannel channel, InetAddress address, RandomGenerator random) throws IOException {
        for (int attempt = 0; attempt < RANDOM_ATTEMPTS; attempt++) {
            int port = random.nextInt(DYNAMIC_LOW, DYNAMIC_HIGH + 1);
            try {
                channel.bind(new InetSocketAddress(address, port));
                return;
            } catch (BindException e) {
                // Taken (another test, another program): draw again.
            }
        }
        channel.bind(new InetSocketAddress(address, 0));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a UDP socket cannot lose anything worth reporting.
        }
    }

    @Override
    public String toString() {
        return role + " socket " + AddressText.format(local);
    }
}
