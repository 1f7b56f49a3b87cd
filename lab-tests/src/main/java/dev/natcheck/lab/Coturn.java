package dev.natcheck.lab;

import java.time.Duration;
import java.util.List;

/**
 * coturn as the reference peer: {@code turnserver --stun-only} on the server's two addresses
 * of each family (RFC 5780 needs both) and {@code turnutils_natdiscovery} in the client; and as
 * the TURN relay {@code natcheck relay} and {@code natcheck punch} are checked against.
 */
public final class Coturn {

    public static final int PORT = 3478;
    public static final int ALT_PORT = 3479;

    private Coturn() {}

    /** The realm of {@link #startRelay}. */
    public static final String REALM = "lab.natcheck.test";

    /**
     * Starts turnserver as a TURN relay in the server namespace, on the server's first IPv4
     * address, UDP and TCP port {@link #PORT}, relaying from that address too, with one long-term
     * user; waits until both listeners are up. Everything it reads is on the command line
     * ({@code -n}); its user database and pid file go to the log directory, and {@code --verbose}
     * logs every request with the code of its answer, for the test to read.
     */
    public static LabProcess startRelay(LabNetwork net, String user, String password) {
        return startRelay(net, user, password, PORT);
    }

    /** Like {@link #startRelay(LabNetwork, String, String)}, on {@code port} (beside the project's STUN server on 3478/3479). */
    public static LabProcess startRelay(LabNetwork net, String user, String password, int port) {
        LabFacts f = net.facts();
        LabProcess relay = net.start(
                Role.SRV,
                "turnserver-relay",
                List.of(
                        "turnserver",
                        "-n",
                        "-L",
                        f.server4(),
                        "--relay-ip",
                        f.server4(),
                        "--listening-port",
                        Integer.toString(port),
                        "--realm",
                        REALM,
                        "--lt-cred-mech",
                        "--user",
                        user + ":" + password,
                        "--userdb",
                        net.logDir().resolve("turndb").toString(),
                        "--no-cli",
                        "--no-tls",
                        "--no-dtls",
                        "--log-file",
                        "stdout",
                        "--verbose",
                        "--pidfile",
                        net.logDir().resolve("turnserver-relay.pid").toString()));
        net.awaitListening(relay, Role.SRV, LabNetwork.Protocol.UDP, f.server4(), port, Duration.ofSeconds(15));
        net.awaitListening(relay, Role.SRV, LabNetwork.Protocol.TCP, f.server4(), port, Duration.ofSeconds(15));
        return relay;
    }

    /**
     * Starts turnserver in the server namespace and waits until every listener is up. {@code -n}
     * keeps it from reading /etc/turnserver.conf (Debian's disables RFC 5780); the pid file goes
     * to the log directory so parallel runs never share one.
     */
    public static LabProcess startServer(LabNetwork net) {
        LabFacts f = net.facts();
        LabProcess server = net.start(
                Role.SRV,
                "turnserver",
                List.of(
                        "turnserver",
                        "-n",
                        "--stun-only",
                        "-L",
                        f.server4(),
                        "-L",
                        f.server4Alt(),
                        "-L",
                        f.server6(),
                        "-L",
                        f.server6Alt(),
                        "--listening-port",
                        Integer.toString(PORT),
                        "--alt-listening-port",
                        Integer.toString(ALT_PORT),
                        "--no-cli",
                        "--no-tls",
                        "--no-dtls",
                        "--log-file",
                        "stdout",
                        "--simple-log",
                        "--pidfile",
                        net.logDir().resolve("turnserver.pid").toString()));
        for (String address : List.of(f.server4(), f.server4Alt(), f.server6(), f.server6Alt())) {
            net.awaitListening(server, Role.SRV, LabNetwork.Protocol.UDP, address, ALT_PORT, Duration.ofSeconds(15));
            net.awaitListening(server, Role.SRV, LabNetwork.Protocol.UDP, address, PORT, Duration.ofSeconds(15));
        }
        return server;
    }
}
