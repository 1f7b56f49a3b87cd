package dev.natcheck.cli;

import dev.natcheck.probe.Family;
import dev.natcheck.probe.ServerSpec;
import dev.natcheck.whoami.WhoamiConfig;
import dev.natcheck.whoami.WhoamiServer;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code --local}: natcheck's own servers started in this process on loopback, on free ports,
 * so the whole pipeline runs on a machine without Internet.
 */
final class LocalServers implements AutoCloseable {

    private static final int PORT_ATTEMPTS = 10;

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

    /** Starts the servers for {@code families}. */
    static LocalServers start(Set<Family> families) throws IOException {
        throw new IOException("--local needs the stun-server module, not merged yet");
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
                    WhoamiServer server = WhoamiServer.start(new WhoamiConfig(List.of(loopback), port,
                            WhoamiConfig.DEFAULT_MAX_CONNECTIONS, WhoamiConfig.DEFAULT_IDLE_TIMEOUT));
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
