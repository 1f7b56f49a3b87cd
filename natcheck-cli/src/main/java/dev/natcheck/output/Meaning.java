package dev.natcheck.output;

import dev.natcheck.classify.Reply;
import dev.natcheck.classify.Verdict;

/**
 * What a verdict means for the person reading it, and what they can do about it, in one or two
 * plain sentences: the last line of each entry in the text output.
 */
final class Meaning {

    private Meaning() {}

    /** The verdict in two or three words, for the summary line. */
    static String shortName(Verdict verdict) {
        return switch (verdict) {
            case NO_NAT -> "no NAT";
            case CPE_NAT -> "home router NAT";
            case CG_NAT -> "carrier-grade NAT";
            case NAT66 -> "IPv6 NAT";
            case SYMMETRIC_NAT -> "symmetric NAT";
            case UDP_BLOCKED -> "UDP blocked";
            case BLOCKED -> "nothing answered";
            case REFUSED -> "refused";
            case SERVER_ERROR -> "server error";
            case UNRESOLVED -> "no server name resolved";
        };
    }

    /** What the entry's verdict means in practice and what to do. */
    static String of(Report.Entry entry) {
        if (entry.serverOnThisHost() && entry.verdict().outsideKnown()) {
            return "this only shows the way to a server on this very host; to learn what stands between "
                    + "this host and the Internet, ask a server elsewhere (without --local, or with -s).";
        }
        boolean refused = entry.outcome().observation().udp() == Reply.REFUSED;
        return switch (entry.verdict()) {
            case NO_NAT ->
                "this address is the one the Internet sees: others can reach services on it directly, "
                        + "unless a firewall in between blocks incoming connections.";
            case CPE_NAT ->
                entry.classification().natLayers().orElse(1) >= 2
                        ? "two routers translate in a row (double NAT): to accept connections from outside, "
                                + "forward the port on both, or put the inner router in bridge mode or in the outer "
                                + "router's DMZ; UPnP or NAT-PMP opens only the inner one. Outgoing connections work "
                                + "as they are."
                        : "your router shares its public address with this host; to accept connections from outside, "
                                + "forward a port on the router (or let an application open one with UPnP or NAT-PMP). "
                                + "Outgoing connections and most peer-to-peer applications work as they are.";
            case CG_NAT ->
                "your provider shares one public address among many customers, so port forwarding on your "
                        + "router cannot make this host reachable from the Internet. To be reachable, ask the "
                        + "provider for a public IPv4 address, use IPv6, or use a relay or tunnel (a VPN with "
                        + "port forwarding, a TURN relay, a reverse proxy).";
            case NAT66 ->
                "IPv6 addresses are translated on the way out, so this host's own IPv6 address cannot be "
                        + "reached from outside as it is; incoming connections need a rule on the translating "
                        + "router. Outgoing connections work as usual.";
            case SYMMETRIC_NAT ->
                "the NAT gives every destination a new port, so direct peer-to-peer connections (calls, games, "
                        + "mesh VPNs) will mostly fall back to a relay, which is slower. If you control the NAT, "
                        + "set it to endpoint-independent mapping (often called full cone).";
            case UDP_BLOCKED ->
                refused
                        ? "if the server and port are right (-s HOST:PORT, STUN is usually 3478), a firewall "
                                + "rejects outgoing UDP: calls, games, QUIC and VPNs that use UDP will fail or fall "
                                + "back to slower TCP."
                        : "UDP does not get out, so calls, games, QUIC and VPNs that use UDP will fail or fall "
                                + "back to slower TCP; check the firewall's rules for outgoing UDP.";
            case BLOCKED ->
                "no server could be reached from this interface: check the network connection, a firewall, "
                        + "or the server addresses (-s).";
            case REFUSED ->
                "nothing listens on the servers' ports: check the server and port (-s HOST:PORT, STUN is "
                        + "usually 3478) and --tcp-port; if they are right, a firewall rejects the traffic.";
            case SERVER_ERROR ->
                "the network lets the traffic through, but the server does not tell clients their address: "
                        + "try another STUN server with -s.";
            case UNRESOLVED ->
                "name resolution is failing: check the DNS settings and the network connection, "
                        + "or name the server by IP address with -s.";
        };
    }
}
