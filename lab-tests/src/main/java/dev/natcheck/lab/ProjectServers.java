package dev.natcheck.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's own daemons in the server namespace: whoami-server on both addresses of each
 * family, stun-server as an RFC 5780 pair (primary + alternate address and port).
 */
public final class ProjectServers {

    public static final String WHOAMI_JAR = "whoami-server/target/whoami-server.jar";
    public static final String STUN_JAR = "stun-server/target/stun-server.jar";
    public static final int WHOAMI_PORT = 8080;
    public static final int STUN_PORT = 3478;
    public static final int STUN_ALT_PORT = 3479;
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private ProjectServers() {}

    /** Starts whoami-server on the server's primary IPv4 and IPv6 addresses, port 8080. */
    public static LabProcess startWhoami(LabNetwork net, Path jar) {
        LabFacts f = net.facts();
        LabProcess whoami =
                net.start(Role.SRV, "whoami-server", daemon(jar, f, "--port", Integer.toString(WHOAMI_PORT)));
        net.awaitListening(whoami, Role.SRV, LabNetwork.Protocol.TCP, f.server4(), WHOAMI_PORT, STARTUP);
        net.awaitListening(whoami, Role.SRV, LabNetwork.Protocol.TCP, f.server6(), WHOAMI_PORT, STARTUP);
        return whoami;
    }

    /** A daemon's command line: its jar on both primary server addresses, then {@code flags}. */
    private static List<String> daemon(Path jar, LabFacts f, String... flags) {
        List<String> command = new ArrayList<>(List.of(
                Lab.java().toString(), "-jar", jar.toString(), "--listen", f.server4(), "--listen", f.server6()));
        command.addAll(List.of(flags));
        return command;
    }

    /**
     * Starts stun-server as an RFC 5780 server on both address pairs (primary + alternate of
     * each family), ports 3478 and 3479. {@code allowAmplification} lets it answer plain
     * third-party clients such as coturn's tools, whose 20-byte requests get larger answers.
     */
    public static LabProcess startStun(LabNetwork net, Path jar, boolean allowAmplification) {
        return startStun(net, jar, allowAmplification ? List.of("--allow-amplification") : List.of());
    }

    /** As {@link #startStun(LabNetwork, Path, boolean)}, with further flags (e.g. --web, --metrics). */
    public static LabProcess startStun(LabNetwork net, Path jar, List<String> extraFlags) {
        LabFacts f = net.facts();
        List<String> command = daemon(
                jar,
                f,
                "--alternate",
                f.server4Alt(),
                "--alternate",
                f.server6Alt(),
                "--port",
                Integer.toString(STUN_PORT),
                "--alt-port",
                Integer.toString(STUN_ALT_PORT));
        command.addAll(extraFlags);
        LabProcess stun = net.start(Role.SRV, "stun-server", command);
        for (String address : List.of(f.server4(), f.server4Alt(), f.server6(), f.server6Alt())) {
            net.awaitListening(stun, Role.SRV, LabNetwork.Protocol.UDP, address, STUN_PORT, STARTUP);
            net.awaitListening(stun, Role.SRV, LabNetwork.Protocol.UDP, address, STUN_ALT_PORT, STARTUP);
        }
        return stun;
    }

    /**
     * Reads the whoami line from the client namespace with nothing but bash's /dev/tcp, so the
     * check does not depend on any code of the project. Empty when no line came within 5 s.
     */
    public static ExecResult whoamiLine(LabNetwork net, String server) {
        return net.exec(
                Role.CLI,
                Duration.ofSeconds(15),
                "timeout",
                "5",
                "bash",
                "-c",
                "exec 3<>/dev/tcp/" + server + "/" + WHOAMI_PORT + " && head -c 64 <&3");
    }
}
