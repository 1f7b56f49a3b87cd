package dev.natcheck.gateway;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One default gateway to ask, and where it listens.
 *
 * @param interfaceName the interface whose default route points at it
 * @param address the gateway's own address
 * @param portControlPort where PCP and NAT-PMP listen (5351)
 * @param ssdpPort where SSDP listens (1900)
 * @param multicastSearch whether to send the SSDP search to 239.255.255.250 on the interface as
 *     well as to the gateway itself; off for gateways a test scripts on loopback, so that no
 *     multicast ever leaves a test
 */
public record GatewayEndpoint(
        String interfaceName, InetAddress address, int portControlPort, int ssdpPort, boolean multicastSearch) {

    /** PCP and NAT-PMP server port (RFC 6887 section 19.1, RFC 6886 section 3.1). */
    public static final int PORT_CONTROL_PORT = 5351;
    /** SSDP port (UPnP Device Architecture 1.1 section 1). */
    public static final int SSDP_PORT = 1900;

    public GatewayEndpoint {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(address, "address");
    }

    /** A real gateway on the standard ports, searched for by multicast too. */
    public static GatewayEndpoint standard(String interfaceName, InetAddress address) {
        return new GatewayEndpoint(interfaceName, address, PORT_CONTROL_PORT, SSDP_PORT, true);
    }
}
