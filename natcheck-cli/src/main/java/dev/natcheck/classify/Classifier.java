package dev.natcheck.classify;

import static dev.natcheck.address.AddressText.format;

import dev.natcheck.asn.AsnRecord;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The classification table of docs/design.md §3 as one pure function.
 *
 * <p>Order of precedence: no outside address ({@code UNRESOLVED}, {@code SERVER_ERROR},
 * {@code REFUSED}, {@code BLOCKED}, by what did come back) before UDP blocked before symmetric
 * mapping before the NAT kind itself; the NAT kind is always worked out, so {@code nat} still says
 * which translator sits behind a {@code SYMMETRIC_NAT} or {@code UDP_BLOCKED} verdict.
 *
 * <p>A refusal (ICMP port unreachable, a TCP reset) is never taken for silence, and an answer
 * without an address (a STUN error) never for a block: UDP is called blocked only when nothing
 * at all came back over UDP.
 */
public final class Classifier {

    private Classifier() {}

    /** The NAT kind and how many NATs in a row natcheck has evidence of. */
    private record Finding(NatKind kind, int layers) {}

    /** Verdict, NAT kind, NAT count and the evidence behind them for one probe's observations. */
    public static Classification classify(Observation observation, ClassifyPolicy policy) {
        List<String> evidence = new ArrayList<>();
        if (observation.outside().isEmpty()) {
            return withoutAddress(observation.udp(), observation.tcp(), evidence);
        }
        InetSocketAddress outside = observation.outside().get();
        observation
                .outsideAsn()
                .ifPresent(asn -> evidence.add("outside address " + format(outside.getAddress()) + " is announced by "
                        + asn.label() + (asn.prefix().isEmpty() ? "" : " in " + asn.prefix())));
        Finding finding = natKind(observation, policy, evidence);
        NatKind nat = finding.kind();
        OptionalInt layers = OptionalInt.of(finding.layers());
        if (observation.transport().orElseThrow() == Transport.TCP) {
            switch (observation.udp()) {
                case UNUSABLE -> {
                    // Row: any | STUN answered without an address, TCP echo answered | the NAT kind's verdict
                    evidence.add("UDP gets through: a STUN server answered, but without a usable address; "
                            + "the outside address comes from the TCP echo (mapping behaviour not tested)");
                    return new Classification(verdictOf(nat), nat, evidence, layers);
                }
                case REFUSED -> {
                    // Row: any | UDP refused (ICMP port unreachable), TCP echo answered | UDP_BLOCKED
                    evidence.add("UDP was refused with ICMP port unreachable (no STUN server on that port, "
                            + "or a firewall rejecting UDP), but the TCP echo answered");
                    return new Classification(Verdict.UDP_BLOCKED, nat, evidence, layers);
                }
                default -> {
                    // Row: any | no UDP answer, TCP echo answered | UDP_BLOCKED
                    evidence.add("no STUN answer over UDP, but the TCP echo answered: UDP is blocked");
                    return new Classification(Verdict.UDP_BLOCKED, nat, evidence, layers);
                }
            }
        }
        Optional<Boolean> varies = observation.mappingVariesByDestination();
        if (varies.orElse(false)) {
            evidence.add("the mapping changed when the destination changed: symmetric NAT "
                    + "(address/port-dependent mapping), hostile to peer-to-peer");
            return new Classification(Verdict.SYMMETRIC_NAT, nat, evidence, layers);
        }
        if (varies.isPresent()) {
            evidence.add("a second destination saw the same mapping: endpoint-independent mapping");
        } else if (nat != NatKind.NONE) {
            evidence.add("mapping behaviour not tested: no second destination answered");
        }
        return new Classification(verdictOf(nat), nat, evidence, layers);
    }

    /** No outside address: which verdict depends on what did come back over each transport. */
    private static Classification withoutAddress(Reply udp, Reply tcp, List<String> evidence) {
        if (udp == Reply.NOT_TRIED) {
            // Row: any | no server could be asked (no server name resolved) | UNRESOLVED
            evidence.add("no STUN server could be asked: no server name resolved to an address "
                    + "(name resolution failing, no network, or a wrong name)");
            return new Classification(Verdict.UNRESOLVED, NatKind.UNKNOWN, evidence);
        }
        evidence.add(udpWords(udp) + "; " + tcpWords(tcp));
        if (udp == Reply.UNUSABLE || tcp == Reply.UNUSABLE) {
            // Row: any | answers without an address, no usable answer | SERVER_ERROR
            evidence.add("the servers answered, but without a usable address: the network lets the "
                    + "packets through, the servers are at fault");
            return new Classification(Verdict.SERVER_ERROR, NatKind.UNKNOWN, evidence);
        }
        if (udp == Reply.REFUSED && tcp == Reply.REFUSED) {
            // Row: any | UDP refused (ICMP port unreachable) and TCP refused (reset) | REFUSED
            evidence.add("every server refused: nothing listens on those ports (a wrong server or port?), "
                    + "or a firewall rejects the traffic");
            return new Classification(Verdict.REFUSED, NatKind.UNKNOWN, evidence);
        }
        // Row: any | nothing answered | BLOCKED
        evidence.add("no server gave an address: the way out is blocked or the servers are unreachable");
        return new Classification(Verdict.BLOCKED, NatKind.UNKNOWN, evidence);
    }

    private static String udpWords(Reply udp) {
        return switch (udp) {
            case ADDRESS -> "a STUN answer over UDP";
            case UNUSABLE -> "STUN servers answered over UDP, without a usable address";
            case REFUSED -> "UDP was refused (ICMP port unreachable from every server)";
            case SILENT -> "no answer over UDP";
            case NOT_TRIED -> "UDP not tried";
        };
    }

    private static String tcpWords(Reply tcp) {
        return switch (tcp) {
            case ADDRESS -> "the TCP echo answered";
            case UNUSABLE -> "the TCP echo answered with a malformed line";
            case REFUSED -> "the TCP echo was refused (connection reset)";
            case SILENT -> "no answer from the TCP echo";
            case NOT_TRIED -> "the TCP echo was not tried";
        };
    }

    private static Verdict verdictOf(NatKind nat) {
        return switch (nat) {
            case NONE -> Verdict.NO_NAT;
            case CPE -> Verdict.CPE_NAT;
            case CGNAT -> Verdict.CG_NAT;
            case NAT66 -> Verdict.NAT66;
            case UNKNOWN -> throw new IllegalStateException("an answered probe always has a NAT kind");
        };
    }

    private static Finding natKind(Observation observation, ClassifyPolicy policy, List<String> evidence) {
        InetSocketAddress insideSocket = observation.inside();
        InetSocketAddress outsideSocket = observation.outside().orElseThrow();
        InetAddress inside = insideSocket.getAddress();
        InetAddress outside = outsideSocket.getAddress();
        if (observation.overlay()) {
            evidence.add("overlay interface (tailscale/wg/tun/utun/zt): the path runs through the overlay");
        }
        // Row: any | same address as inside | NO_NAT
        if (inside.equals(outside)) {
            evidence.add("outside address equals the local address " + format(inside) + ": no address translation");
            if (insideSocket.getPort() != outsideSocket.getPort()) {
                evidence.add("only the port changed (" + insideSocket.getPort() + " -> " + outsideSocket.getPort()
                        + "): a firewall rewrites ports");
            }
            return new Finding(NatKind.NONE, 0);
        }
        if ((inside instanceof Inet4Address) != (outside instanceof Inet4Address)) {
            evidence.add("the address family changes between the local address " + format(inside)
                    + " and the outside address " + format(outside)
                    + ": a NAT64/464XLAT translator, run by the carrier");
            return new Finding(NatKind.CGNAT, 1);
        }
        if (inside instanceof Inet6Address inside6) {
            return new Finding(nat66(insideSocket, inside6, outsideSocket, (Inet6Address) outside, evidence), 1);
        }
        return nat44(observation, policy, inside, outside, evidence);
    }

    private static NatKind nat66(
            InetSocketAddress insideSocket,
            Inet6Address inside,
            InetSocketAddress outsideSocket,
            Inet6Address outside,
            List<String> evidence) {
        AddressScope insideScope = AddressScope.of(inside);
        AddressScope outsideScope = AddressScope.of(outside);
        if (insideScope == AddressScope.ULA && outsideScope == AddressScope.PUBLIC) {
            // Row: IPv6 ULA (fc00::/7) | global | NAT66
            evidence.add("local address " + format(inside) + " is a ULA (fc00::/7) and the outside address "
                    + format(outside) + " is global: IPv6 NAT (NAT66)");
        } else if (insideScope == AddressScope.PUBLIC && outsideScope == AddressScope.PUBLIC) {
            evidence.add("local global address " + format(inside) + " appears as the different global address "
                    + format(outside) + ": IPv6 NAT (NAT66)");
        } else {
            evidence.add("local address " + format(inside) + " (" + describe(insideScope) + ") appears as "
                    + format(outside) + " (" + describe(outsideScope) + "): IPv6 translation (NAT66)");
        }
        boolean samePort = insideSocket.getPort() == outsideSocket.getPort();
        if (samePort && Nptv6.checksumNeutral(inside, outside)) {
            // Row: IPv6 global | different global, same port, equal one's-complement sum | NAT66 (NPTv6)
            evidence.add(
                    "same port and equal one's-complement sum: NPTv6, RFC 6296 checksum-neutral prefix translation");
        } else {
            evidence.add(
                    samePort
                            ? "the addresses' one's-complement sums differ: stateful NAT66, not NPTv6"
                            : "the port changed: stateful NAT66, not NPTv6");
        }
        return NatKind.NAT66;
    }

    private static Finding nat44(
            Observation observation,
            ClassifyPolicy policy,
            InetAddress inside,
            InetAddress outside,
            List<String> evidence) {
        AddressScope insideScope = AddressScope.of(inside);
        AddressScope outsideScope = AddressScope.of(outside);
        if (outsideScope != AddressScope.PUBLIC) {
            evidence.add("the outside address " + format(outside) + " is not public (" + describe(outsideScope)
                    + "): the server sits inside a private network, only the nearest translator is visible");
            return new Finding(NatKind.CPE, 1);
        }
        if (insideScope == AddressScope.PUBLIC) {
            evidence.add("local address " + format(inside) + " is public, yet the server saw " + format(outside)
                    + ": a NAT in front of public addresses");
            return new Finding(NatKind.CPE, 1);
        }
        if (insideScope == AddressScope.SHARED) {
            if (!observation.overlay()) {
                // Row: IPv4 in 100.64.0.0/10 | public | CG_NAT
                evidence.add("local address " + format(inside) + " is in 100.64.0.0/10 (RFC 6598 shared address "
                        + "space) and the outside address " + format(outside) + " is public: carrier-grade NAT");
                return new Finding(NatKind.CGNAT, 1);
            }
            evidence.add("local address " + format(inside) + " is in 100.64.0.0/10 on an overlay interface: "
                    + "the overlay's own addressing, not CG-NAT evidence");
        }
        evidence.add("local address " + format(inside) + " is " + describe(insideScope) + ", the outside address "
                + format(outside) + " is public");
        AsnJudgement asn = judgeAsn(observation.outsideAsn(), policy);
        // An overlay keeps its own rule: its gateway and its path are the overlay's, not the access network's.
        Optional<InetAddress> gateway = observation.overlay() ? Optional.empty() : observation.gatewayExternal();
        Optional<OutboundPath> path = observation.overlay() ? Optional.empty() : observation.path();
        boolean beyondFirstHop =
                path.map(p -> p.outermostNatBeyondFirstHop(outside)).orElse(false);
        if (gateway.isPresent()) {
            InetAddress external = gateway.get();
            AddressScope gatewayScope = AddressScope.of(external);
            if (gatewayScope == AddressScope.SHARED) {
                // Row: IPv4 private | public | gateway external address in 100.64.0.0/10 | CG_NAT
                evidence.add("the gateway's own external address " + format(external)
                        + " is in 100.64.0.0/10: the gateway itself sits behind carrier-grade NAT");
                return new Finding(NatKind.CGNAT, 2);
            }
            if (gatewayScope == AddressScope.PRIVATE) {
                // Row: IPv4 private | public | gateway external is RFC 1918 | CG_NAT with carrier evidence, else
                // CPE_NAT
                evidence.add("the gateway's own external address " + format(external)
                        + " is private (RFC 1918): a second NAT sits beyond the gateway");
                return twoNats(observation, asn, path, evidence);
            }
            if (gatewayScope == AddressScope.PUBLIC && external.equals(outside)) {
                if (!beyondFirstHop) {
                    // Row: IPv4 private | public | gateway external equals outside | CPE_NAT, exactly one NAT
                    evidence.add("the gateway's own external address " + format(external)
                            + " is the outside address: exactly one NAT, the gateway's"
                            + (asn == AsnJudgement.NOT_CONFIGURED ? "" : ", whatever the AS says"));
                    return new Finding(NatKind.CPE, 1);
                }
                // Row: gateway external equals outside, but the path shows the outermost NAT beyond the first router
                evidence.add("the gateway names the outside address " + format(external)
                        + " as its own, but that address answers "
                        + path.orElseThrow().mappedAddressHop().getAsInt()
                        + " hops away, beyond the gateway: the gateway learned it from beyond (as miniupnpd does with"
                        + " STUN), another NAT holds it");
                return twoNats(observation, asn, path, evidence);
            }
            if (gatewayScope == AddressScope.PUBLIC) {
                // Row: IPv4 private | public | gateway external public, not outside | CG_NAT
                evidence.add("the gateway's own external address " + format(external)
                        + " is public but not the outside address " + format(outside)
                        + ": another NAT beyond the gateway translates again, carrier-grade NAT");
                return new Finding(NatKind.CGNAT, 2);
            }
            evidence.add("the gateway names " + format(external) + " (" + describe(gatewayScope)
                    + ") as its external address, which says nothing about what lies beyond it");
        }
        if (beyondFirstHop) {
            // Row: IPv4 private | public | no gateway answer; the outermost NAT more than one hop away
            evidence.add("the outside address " + format(outside) + " answers "
                    + path.orElseThrow().mappedAddressHop().getAsInt()
                    + " hops away, beyond the first router: a second NAT sits beyond the gateway");
            return twoNats(observation, asn, path, evidence);
        }
        if (AddressScope.isTenSlashEight(inside) && asn == AsnJudgement.NOT_ALLOWED) {
            // Row: IPv4 in 10.0.0.0/8 | public | outside ASN not in the CPE allow-list | CG_NAT
            evidence.add("local address in 10.0.0.0/8 and " + asnText(observation)
                    + " is not in the CPE allow-list: a carrier numbers its subscribers from 10/8, carrier-grade NAT");
            return new Finding(NatKind.CGNAT, 1);
        }
        // Row: IPv4 private (any) | public | ASN in the allow-list, or no ASN check | CPE_NAT
        evidence.add(asnEvidence(asn, observation));
        path.filter(p -> p.mappedAddressHop().orElse(0) == 1)
                .ifPresent(p -> evidence.add(
                        "the outside address answers at the first hop: the first router holds it, one NAT"));
        return new Finding(NatKind.CPE, 1);
    }

    /**
     * Two NATs in a row: carrier-grade when a hop in 100.64.0.0/10 or the AS says carrier, else a
     * second home router ("double NAT").
     */
    private static Finding twoNats(
            Observation observation, AsnJudgement asn, Optional<OutboundPath> path, List<String> evidence) {
        Optional<OutboundPath.Hop> carrierHop = path.flatMap(OutboundPath::carrierHop);
        if (carrierHop.isPresent()) {
            evidence.add("hop " + carrierHop.get().ttl() + " answers from "
                    + format(carrierHop.get().address())
                    + " in 100.64.0.0/10 (RFC 6598): the second NAT is a carrier's, carrier-grade NAT");
            return new Finding(NatKind.CGNAT, 2);
        }
        if (asn == AsnJudgement.NOT_ALLOWED) {
            evidence.add(asnText(observation) + " is not in the CPE allow-list: the second NAT is a carrier's,"
                    + " carrier-grade NAT");
            return new Finding(NatKind.CGNAT, 2);
        }
        evidence.add("double NAT: two NATs in a row and nothing says carrier (no 100.64.0.0/10 hop"
                + (asn == AsnJudgement.NOT_CONFIGURED ? ", no ASN check configured" : ", the AS is allowed or unknown")
                + "), taken as a second home router (CPE)");
        return new Finding(NatKind.CPE, 2);
    }

    private enum AsnJudgement {
        NOT_CONFIGURED,
        UNKNOWN,
        ALLOWED,
        NOT_ALLOWED
    }

    private static AsnJudgement judgeAsn(Optional<AsnRecord> asn, ClassifyPolicy policy) {
        if (!policy.asnCheckConfigured()) {
            return AsnJudgement.NOT_CONFIGURED;
        }
        if (asn.isEmpty() || asn.get().asn() == 0) {
            return AsnJudgement.UNKNOWN;
        }
        return policy.cpeAsns().contains(asn.get().asn()) ? AsnJudgement.ALLOWED : AsnJudgement.NOT_ALLOWED;
    }

    private static String asnText(Observation observation) {
        return observation.outsideAsn().map(a -> "the outside " + a.label()).orElse("the outside AS");
    }

    private static String asnEvidence(AsnJudgement judgement, Observation observation) {
        return switch (judgement) {
            case NOT_CONFIGURED ->
                "no ASN check configured (--cpe-asn): a private local address means a home router's NAT (CPE)";
            case UNKNOWN ->
                "the outside address's AS is unknown, so the CPE allow-list could not be applied: taken as a home router's NAT (CPE)";
            case ALLOWED -> asnText(observation) + " is in the CPE allow-list: a home router's NAT (CPE)";
            case NOT_ALLOWED ->
                asnText(observation) + " is not in the CPE allow-list, but only 10.0.0.0/8 local "
                        + "addresses are taken as carrier-assigned: a home router's NAT (CPE)";
        };
    }

    private static String describe(AddressScope scope) {
        return switch (scope) {
            case UNSPECIFIED -> "unspecified";
            case LOOPBACK -> "loopback";
            case LINK_LOCAL -> "link-local";
            case PRIVATE -> "private (RFC 1918)";
            case SHARED -> "shared (RFC 6598)";
            case ULA -> "a ULA (fc00::/7)";
            case MULTICAST -> "multicast";
            case PUBLIC -> "public";
        };
    }
}
