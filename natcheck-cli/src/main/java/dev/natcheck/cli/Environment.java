package dev.natcheck.cli;

import dev.natcheck.probe.DefaultGateways;
import dev.natcheck.probe.InterfaceInfo;
import dev.natcheck.probe.NameResolver;
import dev.natcheck.probe.NatPmpClient;
import dev.natcheck.probe.ServerSpec;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the check takes from the machine it runs on: the built-in server list, the name
 * resolver, the interface list and the NAT-PMP gateways. Production uses {@link #system()}; tests hand in their own so
 * that nothing ever reaches the real public servers or the real DNS.
 */
public record Environment(
        List<ServerSpec> defaultServers, NameResolver resolver, Interfaces interfaces, NatPmpGateways natPmpGateways) {

    /** Where to send NAT-PMP requests, per interface name ({@code --nat-pmp}). */
    @FunctionalInterface
    public interface NatPmpGateways {
        Map<String, InetSocketAddress> byInterface();
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
        Objects.requireNonNull(natPmpGateways, "natPmpGateways");
    }

    /** An environment without NAT-PMP gateways (most tests). */
    public Environment(List<ServerSpec> defaultServers, NameResolver resolver, Interfaces interfaces) {
        this(defaultServers, resolver, interfaces, Map::of);
    }

    /** The real machine: public servers, the system resolver, the JDK's interface list. */
    public static Environment system() {
        return new Environment(PUBLIC_STUN_SERVERS, NameResolver.SYSTEM, InterfaceInfo::system, () -> {
            Map<String, InetSocketAddress> gateways = new LinkedHashMap<>();
            DefaultGateways.system()
                    .forEach((nic, gateway) -> gateways.put(nic, new InetSocketAddress(gateway, NatPmpClient.PORT)));
            return gateways;
        });
    }
}
