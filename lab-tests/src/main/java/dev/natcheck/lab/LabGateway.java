package dev.natcheck.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A gateway daemon on the lab's cpe router, where the client's default route points: the real
 * miniupnpd (started by lab/netlab.sh, plain or learning its address with STUN) or the
 * {@link ScriptedGateway}, whose mode a test switches between natcheck runs.
 */
public final class LabGateway {

    /** The kinds of gateway a row of a test can put on the cpe router. */
    public enum Kind {
        /** Nothing answers on the gateway's ports (ICMP port unreachable). */
        NONE,
        /** Debian's miniupnpd, external address from its WAN interface. */
        MINIUPNPD,
        /** miniupnpd learning its external address with STUN (ext_perform_stun). */
        MINIUPNPD_STUN,
        /** {@link ScriptedGateway}. */
        SCRIPTED
    }

    /** The scripted gateway's UPnP HTTP port, the same as miniupnpd's in the lab. */
    public static final int HTTP_PORT = 5000;

    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Path modeFile;
    private final LabFacts facts;

    private LabGateway(Path modeFile, LabFacts facts) {
        this.modeFile = modeFile;
        this.facts = facts;
    }

    /**
     * The topology's facts with the gateway's: for miniupnpd also {@code gateway_kind},
     * {@code gateway_dir} (config, log) and {@code upnp_location} (its description URL).
     */
    public LabFacts facts() {
        return facts;
    }

    /**
     * Starts the gateway of {@code kind} on {@code net}'s cpe router. miniupnpd with STUN needs
     * the project's stun-server already running in the server namespace, answering plain 20-byte
     * requests ({@code allowAmplification}), since miniupnpd pads nothing.
     */
    public static LabGateway start(LabNetwork net, Kind kind, String initialMode) {
        switch (kind) {
            case NONE -> {
                return new LabGateway(null, net.facts());
            }
            case MINIUPNPD, MINIUPNPD_STUN -> {
                String name = kind == Kind.MINIUPNPD ? "miniupnpd" : "miniupnpd-stun";
                ExecResult result = net.lab()
                        .netlab(net.runId(), Map.of(), "gateway", net.topology().scriptName(), name);
                if (!result.succeeded()) {
                    throw new IllegalStateException("netlab.sh gateway " + name + " failed: " + result.describe());
                }
                return new LabGateway(null, LabFacts.parse(result.stdout()));
            }
            case SCRIPTED -> {
                Path modeFile = net.logDir().resolve("gateway-mode");
                LabGateway gateway = new LabGateway(modeFile, net.facts());
                gateway.mode(initialMode);
                LabProcess process = net.start(
                        Role.CPE,
                        "scripted-gateway",
                        List.of(
                                Lab.java().toString(),
                                // Sockets bound as IPv4, as `ss` and a real gateway show them.
                                "-Djava.net.preferIPv4Stack=true",
                                "-cp",
                                Lab.classes().toString(),
                                ScriptedGateway.class.getName(),
                                net.facts().gateway4(),
                                "lan0",
                                Integer.toString(HTTP_PORT),
                                modeFile.toString()));
                String address = net.facts().gateway4();
                net.awaitListening(process, Role.CPE, LabNetwork.Protocol.UDP, address, 5351, STARTUP);
                net.awaitListening(process, Role.CPE, LabNetwork.Protocol.TCP, address, HTTP_PORT, STARTUP);
                return gateway;
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
    }

    /** Switches the scripted gateway to {@code mode} (see {@link ScriptedGateway}). */
    public void mode(String mode) {
        if (modeFile == null) {
            throw new IllegalStateException("only the scripted gateway has modes");
        }
        try {
            Files.writeString(modeFile, mode + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
