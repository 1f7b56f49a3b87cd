package dev.natcheck.cli;

import dev.natcheck.gateway.DefaultGateways;
import dev.natcheck.gateway.GatewayEndpoint;
import dev.natcheck.gateway.GatewaySurvey;
import dev.natcheck.probe.InterfaceInfo;
import dev.natcheck.probe.InterfaceSelection;
import dev.natcheck.probe.NameResolver;
import dev.natcheck.probe.ServerSpec;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * What the check takes from the machine it runs on: the built-in server list, the name
 * resolver, the interface list and the default gateways. Production uses {@link #system()}; tests
 * hand in their own so that nothing ever reaches the real public servers, the real DNS or the
 * machine's real default gateway.
 */
public record Environment(
        List<ServerSpec> defaultServers, NameResolver resolver, Interfaces interfaces, Gateways gateways) {

    /** The IPv4 default gateway of each interface that has one, to ask for its external address. */
    @FunctionalInterface
    public interface Gateways {
        Map<String, GatewayEndpoint> byInterface();

        /** How long the gateways get, at most (cut to --timeout); tests on a busy machine give more. */
        default Duration budget() {
            return GatewaySurvey.BUDGET;
        }
    }

    /** Source of the interface list. */
    @FunctionalInterface
    public interface Interfaces {
        List<InterfaceInfo> list() throws SocketException;
    }

    /** Well-known public STUN servers, several operators, probed in parallel when no {@code -s} is given. */
    public static final List<ServerSpec> PUBLIC_STUN_SERVERS = List.of(
            new ServerSpec("stun.l.google.com", 19302),
            new ServerSpec("stun1.l.google.com", 19302),
            new ServerSpec("stun.cloudflare.com", 3478),
            new ServerSpec("stun.nextcloud.com", 443),
            new ServerSpec("global.stun.twilio.com", 3478),
            new ServerSpec("stun.sipgate.net", 3478),
            new ServerSpec("stun.stunprotocol.org", 3478));

    public Environment {
        defaultServers = List.copyOf(defaultServers);
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(interfaces, "interfaces");
        Objects.requireNonNull(gateways, "gateways");
    }

    /** An environment without default gateways (most tests): no gateway is ever asked. */
    public Environment(List<ServerSpec> defaultServers, NameResolver resolver, Interfaces interfaces) {
        this(defaultServers, resolver, interfaces, Map::of);
    }

    /** The interfaces of this machine; a list the JDK cannot read is an I/O error. */
    List<InterfaceInfo> listInterfaces() throws IOException {
        try {
            return interfaces.list();
        } catch (SocketException e) {
            throw new IOException("cannot list network interfaces: " + e.getMessage(), e);
        }
    }

    /** The interfaces of {@code nics} that {@code request} asks for; one named that cannot serve is a bad parameter. */
    static InterfaceSelection.Selected selectInterfaces(
            List<InterfaceInfo> nics, InterfaceSelection.Request request, CommandLine commandLine) {
        try {
            return InterfaceSelection.select(nics, request);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage());
        }
    }

    /**
     * The real machine: public servers, the system resolver, the JDK's interface list, the
     * default routes of {@code /proc/net/route}.
     */
    public static Environment system() {
        return new Environment(PUBLIC_STUN_SERVERS, NameResolver.SYSTEM, InterfaceInfo::system, new SystemGateways());
    }

    /** The default routes of this host, with the budget {@link Budgets#gateway()} gives. */
    private record SystemGateways() implements Gateways {
        @Override
        public Map<String, GatewayEndpoint> byInterface() {
            Map<String, GatewayEndpoint> gateways = new LinkedHashMap<>();
            DefaultGateways.system()
                    .forEach((nic, gateway) -> gateways.put(nic, GatewayEndpoint.standard(nic, gateway)));
            return gateways;
        }

        @Override
        public Duration budget() {
            return Budgets.gateway();
        }
    }
}
