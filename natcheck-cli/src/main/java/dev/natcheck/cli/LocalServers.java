package dev.natcheck.cli;

import dev.natcheck.address.AddressText;
import dev.natcheck.probe.Family;
import dev.natcheck.probe.ServerSpec;
import dev.natcheck.stunserver.SocketIo;
import dev.natcheck.stunserver.StunServer;
import dev.natcheck.stunserver.StunServerConfig;
import dev.natcheck.whoami.WhoamiConfig;
import dev.natcheck.whoami.WhoamiServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --local}: natcheck's own servers started in this process on loopback, on free ports,
 * so the whole pipeline runs on a machine without Internet.
 */
final class LocalServers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalServers.class);

    private static final int PORT_ATTEMPTS = 10;

    /**
     * The portable path: a local check exchanges a few dozen datagrams, and the batched path's
     * native calls cost about 60 ms to link at start (docs/benchmarks.md, natcheck start-up).
     */
    private static final SocketIo LOCAL_SOCKET_IO = SocketIo.NIO;

    private final List<AutoCloseable> running;
    private final List<ServerSpec> stunServers;
    private final int tcpPort;
    private final String loopbackName;

    private LocalServers(List<AutoCloseable> running, List<ServerSpec> stunServers, int tcpPort, String loopbackName) {
        this.running = running;
        this.stunServers = stunServers;
        this.tcpPort = tcpPort;
        this.loopbackName = loopbackName;
    }

    /**
     * Starts, for each family asked for: IPv4, an RFC 5780 stun-server on 127.0.0.1 with the
     * alternate 127.0.0.2 (so the symmetric check goes through OTHER-ADDRESS); IPv6, two
     * stun-servers on ::1 (loopback has no second IPv6 address, so the second binding goes to the
     * other port); and whoami on both loopback addresses on one common port.
     */
    static LocalServers start(Set<Family> families) throws IOException {
        List<AutoCloseable> running = new ArrayList<>();
        try {
            List<ServerSpec> specs = new ArrayList<>();
            if (families.contains(Family.IPV4)) {
                StunServer v4 = StunServer.start(
                        StunServerConfig.loopbackEphemeral(InetAddress.getByName("127.0.0.2")), LOCAL_SOCKET_IO);
                running.add(v4);
                specs.add(spec(v4.boundAddresses().getFirst()));
            }
            Set<Family> started = EnumSet.noneOf(Family.class);
            if (!specs.isEmpty()) {
                started.add(Family.IPV4);
            }
            if (families.contains(Family.IPV6)) {
                try {
                    for (int i = 0; i < 2; i++) {
                        StunServer v6 = StunServer.start(
                                StunServerConfig.loopbackEphemeral()
                                        .withAddresses(List.of(InetAddress.getByName("::1")), List.of()),
                                LOCAL_SOCKET_IO);
                        running.add(v6);
                        specs.add(spec(v6.boundAddresses().getFirst()));
                    }
                    started.add(Family.IPV6);
                } catch (IOException e) {
                    // A host with IPv6 switched off still gets its IPv4 check.
                    log.warn("--local: no IPv6 on loopback ({}), IPv4 only", e.getMessage());
                }
            }
            List<WhoamiServer> whoami = startWhoami(started);
            running.addAll(whoami);
            int tcpPort = whoami.getFirst().boundAddresses().getFirst().getPort();
            String loopback = findLoopback();
            log.info("--local: STUN on {}, whoami on port {}, probing interface {}", specs, tcpPort, loopback);
            return new LocalServers(running, specs, tcpPort, loopback);
        } catch (IOException | RuntimeException e) {
            new LocalServers(running, List.of(), 0, "").close();
            throw e;
        }
    }

    private static ServerSpec spec(InetSocketAddress address) {
        return new ServerSpec(AddressText.format(address.getAddress()), address.getPort());
    }

    private static String findLoopback() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isLoopback()) {
                return nic.getName();
            }
        }
        throw new IOException("--local needs a loopback interface, and this host has none");
    }

    /** Starts whoami on 127.0.0.1 and ::1 on one common free port (the probe has one --tcp-port). */
    static List<WhoamiServer> startWhoami(Set<Family> families) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            List<WhoamiServer> started = new ArrayList<>();
            try {
                int port = 0;
                for (Family family : List.of(Family.IPV4, Family.IPV6)) {
                    if (!families.contains(family)) {
                        continue;
                    }
                    InetAddress loopback = InetAddress.getByName(family == Family.IPV4 ? "127.0.0.1" : "::1");
                    WhoamiServer server = WhoamiServer.start(new WhoamiConfig(
                            List.of(loopback),
                            port,
                            WhoamiConfig.DEFAULT_MAX_CONNECTIONS,
                            WhoamiConfig.DEFAULT_IDLE_TIMEOUT));
                    started.add(server);
                    port = server.boundAddresses().getFirst().getPort();
                }
                return started;
            } catch (IOException e) {
                // The port free on 127.0.0.1 was taken on ::1: try another.
                last = e;
                started.forEach(WhoamiServer::close);
            }
        }
        throw last;
    }

    List<ServerSpec> stunServers() {
        return stunServers;
    }

    int tcpPort() {
        return tcpPort;
    }

    String loopbackName() {
        return loopbackName;
    }

    @Override
    public void close() {
        for (AutoCloseable server : running.reversed()) {
            try {
                server.close();
            } catch (Exception e) {
                // stopping is best effort: the process is about to end
            }
        }
    }
}
