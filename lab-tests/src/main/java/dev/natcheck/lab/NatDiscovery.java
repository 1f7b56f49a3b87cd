package dev.natcheck.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs coturn's {@code turnutils_natdiscovery -m -f} in the client namespace. */
public final class NatDiscovery {

    private NatDiscovery() {}

    /**
     * Discovers mapping and filtering behaviour towards {@code server}:{@code port}, bound to the
     * client's own address {@code local} (so natdiscovery can tell "no NAT" from a NAT).
     */
    public static Run discover(LabNetwork net, String local, String server, int port) {
        return discover(net, local, server, port, false);
    }

    /**
     * As {@link #discover(LabNetwork, String, String, int)}; {@code padded} adds {@code -P}, a
     * 1500-byte PADDING in every request, so a server that never answers with more than it got
     * (natcheck's stun-server by default) has room for its answers.
     */
    public static Run discover(LabNetwork net, String local, String server, int port, boolean padded) {
        List<String> command = new ArrayList<>(List.of("turnutils_natdiscovery", "-m", "-f"));
        if (padded) {
            command.add("-P");
        }
        command.addAll(List.of("-L", local, "-p", Integer.toString(port), server));
        ExecResult result = net.exec(Role.CLI, Duration.ofSeconds(60), command);
        return new Run(result, NatBehaviour.parse(result.stdout()));
    }

    /** The raw run and what it concluded. */
    public record Run(ExecResult result, NatBehaviour behaviour) {}
}
