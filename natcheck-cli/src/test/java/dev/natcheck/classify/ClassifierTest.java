package dev.natcheck.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.natcheck.address.AddressText;
import dev.natcheck.asn.AsnRecord;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One case per row of the classification table in docs/design.md §3, named after the row. */
class ClassifierTest {

    private static final long CPE_ASN = 64496;
    private static final long CARRIER_ASN = 64500;
    private static final ClassifyPolicy ALLOW_LIST = new ClassifyPolicy(Set.of(CPE_ASN));

    /**
     * One row: the observation, the policy, what must come out.
     *
     * @param layers the expected NAT count, {@code null} for "unknown"; checked when {@code checkLayers}
     */
    record Row(
            String name,
            Observation observation,
            ClassifyPolicy policy,
            Verdict verdict,
            NatKind nat,
            String evidence,
            Integer layers,
            boolean checkLayers) {

        Row(
                String name,
                Observation observation,
                ClassifyPolicy policy,
                Verdict verdict,
                NatKind nat,
                String evidence) {
            this(name, observation, policy, verdict, nat, evidence, null, false);
        }

        Row(
                String name,
                Observation observation,
                ClassifyPolicy policy,
                Verdict verdict,
                NatKind nat,
                String evidence,
                Integer layers) {
            this(name, observation, policy, verdict, nat, evidence, layers, true);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> designTable() {
        return Stream.of(
                new Row(
                        "any | same address as inside | NO_NAT (IPv4)",
                        udp("198.51.100.7", 40000, "198.51.100.7", 40000),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.NO_NAT,
                        NatKind.NONE,
                        "no address translation",
                        0),
                new Row(
                        "any | same address as inside | NO_NAT (IPv6)",
                        udp("2001:db8::7", 40000, "2001:db8::7", 40000),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.NO_NAT,
                        NatKind.NONE,
                        "no address translation"),
                new Row(
                        "any | same address as inside, other port | NO_NAT with the port noted",
                        udp("198.51.100.7", 40000, "198.51.100.7", 50000),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.NO_NAT,
                        NatKind.NONE,
                        "only the port changed"),
                new Row(
                        "IPv4 in 100.64.0.0/10 | public | CG_NAT",
                        udp("100.64.1.2", 40000, "203.0.113.10", 61000),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CG_NAT,
                        NatKind.CGNAT,
                        "RFC 6598",
                        1),
                new Row(
                        "IPv4 in 10.0.0.0/8 | public | outside ASN not in the CPE allow-list | CG_NAT",
                        with(udp("10.1.2.3", 40000, "203.0.113.10", 61000), o -> o.withOutsideAsn(asn(CARRIER_ASN))),
                        ALLOW_LIST,
                        Verdict.CG_NAT,
                        NatKind.CGNAT,
                        "not in the CPE allow-list"),
                new Row(
                        "IPv4 private (any) | public | outside ASN in the allow-list | CPE_NAT",
                        with(udp("10.1.2.3", 40000, "203.0.113.10", 61000), o -> o.withOutsideAsn(asn(CPE_ASN))),
                        ALLOW_LIST,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "is in the CPE allow-list"),
                new Row(
                        "IPv4 private (any) | public | no ASN check configured | CPE_NAT (192.168/16)",
                        udp("192.168.1.2", 40000, "203.0.113.10", 61000),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "no ASN check configured",
                        1),
                new Row(
                        "IPv4 private (any) | public | no ASN check configured | CPE_NAT (10/8)",
                        with(udp("10.1.2.3", 40000, "203.0.113.10", 61000), o -> o.withOutsideAsn(asn(CARRIER_ASN))),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "no ASN check configured"),
                new Row(
                        "IPv4 private (any) | public | no ASN check configured | CPE_NAT (172.16/12)",
                        udp("172.20.0.5", 40000, "198.51.100.9", 40000),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "private (RFC 1918)"),
                new Row(
                        "IPv4 private | public | gateway's external address in 100.64.0.0/10 | CG_NAT",
                        with(
                                udp("192.168.1.2", 40000, "203.0.113.10", 61000),
                                o -> o.withGatewayExternal(Optional.of(ip("100.64.0.9")))),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CG_NAT,
                        NatKind.CGNAT,
                        "gateway's own external address 100.64.0.9 is in 100.64.0.0/10",
                        2),
                new Row(
                        "IPv4 private | public | gateway's external address equals the outside address | CPE_NAT, one NAT",
                        with(
                                udp("192.168.1.2", 40000, "203.0.113.10", 61000),
                                o -> o.withGatewayExternal(Optional.of(ip("203.0.113.10")))),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "exactly one NAT, the gateway's",
                        1),
                new Row(
                        "IPv4 private | public | gateway's external address equals the outside address, AS says carrier"
                                + " | CPE_NAT whatever the AS says",
                        with(
                                udp("10.1.2.3", 40000, "203.0.113.10", 61000),
                                o -> o.withGatewayExternal(Optional.of(ip("203.0.113.10")))
                                        .withOutsideAsn(asn(CARRIER_ASN))),
                        ALLOW_LIST,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "whatever the AS says",
                        1),
                new Row(
                        "IPv4 private | public | gateway's external address public, not the outside address | CG_NAT",
                        with(
                                udp("192.168.1.2", 40000, "203.0.113.10", 61000),
                                o -> o.withGatewayExternal(Optional.of(ip("198.51.100.77")))),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CG_NAT,
                        NatKind.CGNAT,
                        "another NAT beyond the gateway",
                        2),
                new Row(
                        "IPv4 private | public | gateway's external address RFC 1918, ASN evidence | CG_NAT",
                        with(
                                udp("192.168.1.2", 40000, "203.0.113.10", 61000),
                                o -> o.withGatewayExternal(Optional.of(ip("10.0.0.2")))
                                        .withOutsideAsn(asn(CARRIER_ASN))),
                        ALLOW_LIST,
                        Verdict.CG_NAT,
                        NatKind.CGNAT,
                        "is not in the CPE allow-list: the second NAT is a carrier's",
                        2),
                new Row(
                        "IPv4 private | public | gateway's external address RFC 1918, a 100.64.0.0/10 hop | CG_NAT",
                        with(
                                udp("192.168.1.2", 40000, "203.0.113.10", 61000),
                                o -> o.withGatewayExternal(Optional.of(ip("10.0.0.2")))
                                        .withPath(path(2, "192.168.1.1", "100.64.0.1", "198.51.100.1"))),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CG_NAT,
                        NatKind.CGNAT,
                        "hop 2 answers from 100.64.0.1 in 100.64.0.0/10",
                        2),
                new Row(
                        "IPv4 private | public | gateway's external address RFC 1918, no carrier evidence | CPE_NAT double NAT",
                        with(
                                udp("192.168.1.2", 40000, "203.0.113.10", 61000),
                                o -> o.withGatewayExternal(Optional.of(ip("192.168.100.2")))),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "double NAT",
                        2),
                new Row(
                        "IPv4 private | public | no gateway answer, outermost NAT 2 hops away, a 100.64.0.0/10 hop"
                                + " | CG_NAT",
                        with(
                                udp("192.168.1.2", 40000, "203.0.113.10", 61000),
                                o -> o.withPath(path(2, "192.168.1.1", "100.64.0.1", "198.51.100.1"))),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CG_NAT,
                        NatKind.CGNAT,
                        "in 100.64.0.0/10 (RFC 6598): the second NAT is a carrier's",
                        2),
                new Row(
                        "IPv4 private | public | no gateway answer, outermost NAT 2 hops away, AS says carrier | CG_NAT",
                        with(
                                udp("192.168.1.2", 40000, "203.0.113.10", 61000),
                                o -> o.withPath(path(2, "192.168.1.1", "10.0.0.1", "198.51.100.1"))
                                        .withOutsideAsn(asn(CARRIER_ASN))),
                        ALLOW_LIST,
                        Verdict.CG_NAT,
                        NatKind.CGNAT,
                        "the second NAT is a carrier's",
                        2),
                new Row(
                        "IPv4 private | public | no gateway answer, outermost NAT 2 hops away, nothing says carrier"
                                + " | CPE_NAT double NAT",
                        with(
                                udp("192.168.1.2", 40000, "203.0.113.10", 61000),
                                o -> o.withPath(path(2, "192.168.1.1", "192.168.0.1", "198.51.100.1"))),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "double NAT",
                        2),
                new Row(
                        "IPv6 ULA (fc00::/7) | global | NAT66",
                        udp("fd00::2", 40000, "2001:db8:5::77", 51234),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.NAT66,
                        NatKind.NAT66,
                        "is a ULA (fc00::/7)"),
                new Row(
                        "IPv6 global | different global, same port, equal one's-complement sum | NAT66 (NPTv6)",
                        udp("2001:db8:1:1::1234", 40000, "2001:db8:2::1234", 40000),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.NAT66,
                        NatKind.NAT66,
                        "NPTv6, RFC 6296 checksum-neutral"),
                new Row(
                        "IPv6 ULA | global, RFC 6296 section 3.1 example | NAT66 (NPTv6)",
                        udp("fd01:203:405:1::1234", 40000, "2001:db8:1:d550::1234", 40000),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.NAT66,
                        NatKind.NAT66,
                        "NPTv6, RFC 6296 checksum-neutral"),
                new Row(
                        "any | mapping differs when the destination differs | SYMMETRIC_NAT, nat CPE",
                        with(
                                udp("192.168.1.2", 40000, "203.0.113.10", 61000),
                                o -> o.withMappingVariesByDestination(true)),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.SYMMETRIC_NAT,
                        NatKind.CPE,
                        "symmetric NAT"),
                new Row(
                        "any | mapping differs when the destination differs | SYMMETRIC_NAT, nat CGNAT",
                        with(
                                udp("100.70.0.1", 40000, "203.0.113.10", 61000),
                                o -> o.withMappingVariesByDestination(true)),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.SYMMETRIC_NAT,
                        NatKind.CGNAT,
                        "symmetric NAT"),
                new Row(
                        "any | no UDP answer, TCP echo answered | UDP_BLOCKED, nat from the TCP answer",
                        Observation.tcp(sock("192.168.1.2", 40000), sock("203.0.113.10", 61000)),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.UDP_BLOCKED,
                        NatKind.CPE,
                        "UDP is blocked"),
                new Row(
                        "any | no UDP answer, TCP echo answered, same address | UDP_BLOCKED, nat NONE",
                        Observation.tcp(sock("198.51.100.7", 40000), sock("198.51.100.7", 40000)),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.UDP_BLOCKED,
                        NatKind.NONE,
                        "UDP is blocked"),
                new Row(
                        "any | UDP refused (ICMP port unreachable), TCP echo answered | UDP_BLOCKED, refusal named",
                        with(
                                Observation.tcp(sock("192.168.1.2", 40000), sock("203.0.113.10", 61000)),
                                o -> o.withReplies(Reply.REFUSED, Reply.ADDRESS)),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.UDP_BLOCKED,
                        NatKind.CPE,
                        "UDP was refused with ICMP port unreachable (no STUN server on that port, "
                                + "or a firewall rejecting UDP)"),
                new Row(
                        "any | STUN answered without an address, TCP echo answered | the NAT kind's verdict, not UDP_BLOCKED",
                        with(
                                Observation.tcp(sock("192.168.1.2", 40000), sock("203.0.113.10", 61000)),
                                o -> o.withReplies(Reply.UNUSABLE, Reply.ADDRESS)),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "UDP gets through: a STUN server answered, but without a usable address"),
                new Row(
                        "any | nothing answered | BLOCKED",
                        Observation.unanswered(sock("192.168.1.2", 40000)),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.BLOCKED,
                        NatKind.UNKNOWN,
                        "no answer over UDP; no answer from the TCP echo",
                        null),
                new Row(
                        "any | no UDP answer, TCP refused | BLOCKED, the refusal named",
                        with(
                                Observation.unanswered(sock("192.168.1.2", 40000)),
                                o -> o.withReplies(Reply.SILENT, Reply.REFUSED)),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.BLOCKED,
                        NatKind.UNKNOWN,
                        "no answer over UDP; the TCP echo was refused (connection reset)"),
                new Row(
                        "any | UDP refused (ICMP port unreachable) and TCP refused (reset) | REFUSED",
                        with(
                                Observation.unanswered(sock("192.168.1.2", 40000)),
                                o -> o.withReplies(Reply.REFUSED, Reply.REFUSED)),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.REFUSED,
                        NatKind.UNKNOWN,
                        "every server refused"),
                new Row(
                        "any | STUN answered without an address (an error), no TCP echo | SERVER_ERROR",
                        with(
                                Observation.unanswered(sock("192.168.1.2", 40000)),
                                o -> o.withReplies(Reply.UNUSABLE, Reply.REFUSED)),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.SERVER_ERROR,
                        NatKind.UNKNOWN,
                        "the servers answered, but without a usable address"),
                new Row(
                        "any | no UDP answer, a malformed TCP echo | SERVER_ERROR",
                        with(
                                Observation.unanswered(sock("192.168.1.2", 40000)),
                                o -> o.withReplies(Reply.SILENT, Reply.UNUSABLE)),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.SERVER_ERROR,
                        NatKind.UNKNOWN,
                        "the TCP echo answered with a malformed line"),
                new Row(
                        "any | no server could be asked (no server name resolved) | UNRESOLVED",
                        with(
                                Observation.unanswered(sock("192.168.1.2", 0)),
                                o -> o.withReplies(Reply.NOT_TRIED, Reply.NOT_TRIED)),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.UNRESOLVED,
                        NatKind.UNKNOWN,
                        "no server name resolved"),
                new Row(
                        "overlay | 100.64.0.0/10 on an overlay interface is not CG-NAT evidence",
                        with(udp("100.101.102.103", 40000, "203.0.113.10", 61000), o -> o.withOverlay(true)),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "not CG-NAT evidence",
                        1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("designTable")
    void classifiesEveryRowOfTheDesignTable(Row row) {
        Classification result = Classifier.classify(row.observation(), row.policy());

        assertThat(result.verdict()).as("verdict").isEqualTo(row.verdict());
        assertThat(result.nat()).as("nat").isEqualTo(row.nat());
        assertThat(result.evidence())
                .as("evidence")
                .anySatisfy(line -> assertThat(line).contains(row.evidence()));
        if (row.checkLayers()) {
            assertThat(result.natLayers())
                    .as("nat_layers")
                    .isEqualTo(row.layers() == null ? OptionalInt.empty() : OptionalInt.of(row.layers()));
        }
        if (result.natLayers().orElse(0) < 2) {
            assertThat(result.evidence()).as("one NAT is never a double NAT").noneMatch(l -> l.contains("double NAT"));
        }
    }

    static Stream<Row> edges() {
        return Stream.of(
                new Row(
                        "endpoint-independent mapping is noted, not a symmetric verdict",
                        with(
                                udp("192.168.1.2", 40000, "203.0.113.10", 61000),
                                o -> o.withMappingVariesByDestination(false)),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "endpoint-independent mapping"),
                new Row(
                        "IPv6 global to other global, port changed: stateful NAT66",
                        udp("2001:db8:1:1::1234", 40000, "2001:db8:2::1234", 50000),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.NAT66,
                        NatKind.NAT66,
                        "stateful NAT66"),
                new Row(
                        "IPv6 global to other global, same port, sums differ: stateful NAT66",
                        udp("2001:db8:1:1::1234", 40000, "2001:db8:2:1::1234", 40000),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.NAT66,
                        NatKind.NAT66,
                        "one's-complement sums differ"),
                new Row(
                        "10/8 inside, allow-list configured, outside AS unknown: CPE, rule not applied",
                        udp("10.1.2.3", 40000, "203.0.113.10", 61000),
                        ALLOW_LIST,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "AS is unknown"),
                new Row(
                        "192.168 inside, outside AS not allowed: still CPE (only 10/8 is carrier-assigned)",
                        with(udp("192.168.1.2", 40000, "203.0.113.10", 61000), o -> o.withOutsideAsn(asn(CARRIER_ASN))),
                        ALLOW_LIST,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "only 10.0.0.0/8"),
                new Row(
                        "IPv6 inside, IPv4 outside: NAT64",
                        udp("2001:db8::5", 40000, "203.0.113.10", 61000),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CG_NAT,
                        NatKind.CGNAT,
                        "NAT64"),
                new Row(
                        "outside address not public: the nearest translator only",
                        udp("192.168.1.2", 40000, "10.20.0.1", 61000),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "is not public"),
                new Row(
                        "loopback to loopback: no NAT",
                        udp("127.0.0.1", 40000, "127.0.0.1", 40000),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.NO_NAT,
                        NatKind.NONE,
                        "no address translation"),
                new Row(
                        "overlay with its own public-looking exit: flagged",
                        with(udp("100.64.0.5", 40000, "100.64.0.5", 40000), o -> o.withOverlay(true)),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.NO_NAT,
                        NatKind.NONE,
                        "overlay interface"),
                new Row(
                        "the gateway names the outside address, but it answers 2 hops away with a 100.64.0.0/10 hop"
                                + " between: the gateway learned it from beyond (STUN), CG_NAT",
                        with(
                                udp("192.168.1.2", 40000, "198.51.100.2", 61000),
                                o -> o.withGatewayExternal(Optional.of(ip("198.51.100.2")))
                                        .withPath(path(2, "192.168.1.1", "100.64.1.1", "198.51.100.1"))),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CG_NAT,
                        NatKind.CGNAT,
                        "the gateway learned it from beyond",
                        2),
                new Row(
                        "the outside address answers at the first hop: one NAT, said so",
                        with(
                                udp("192.168.1.2", 40000, "198.51.100.2", 61000),
                                o -> o.withPath(path(1, "198.51.100.1"))),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "answers at the first hop",
                        1),
                new Row(
                        "the outside address answers at hop 2 but no router answered before it (a lost answer):"
                                + " not taken as a second NAT",
                        with(
                                udp("192.168.1.2", 40000, "198.51.100.2", 61000),
                                o -> o.withPath(Optional.of(new OutboundPath(
                                        List.of(new OutboundPath.Hop(3, ip("198.51.100.1"))), OptionalInt.of(2))))),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "no ASN check configured",
                        1),
                new Row(
                        "overlay keeps its rule: its gateway and path say nothing about carrier NAT",
                        with(
                                udp("100.101.102.103", 40000, "203.0.113.10", 61000),
                                o -> o.withOverlay(true)
                                        .withGatewayExternal(Optional.of(ip("100.64.0.9")))
                                        .withPath(path(2, "100.100.0.1", "100.64.0.1", "198.51.100.1"))),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "not CG-NAT evidence",
                        1),
                new Row(
                        "IPv6 unchanged: a gateway address does not touch an IPv6 verdict",
                        with(
                                udp("fd00::2", 40000, "2001:db8:5::77", 51234),
                                o -> o.withGatewayExternal(Optional.of(ip("100.64.0.9")))),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.NAT66,
                        NatKind.NAT66,
                        "is a ULA (fc00::/7)",
                        1),
                new Row(
                        "the gateway names a link-local address: no meaning, one NAT",
                        with(
                                udp("192.168.1.2", 40000, "203.0.113.10", 61000),
                                o -> o.withGatewayExternal(Optional.of(ip("169.254.0.1")))),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "says nothing about what lies beyond it",
                        1),
                new Row(
                        "double NAT behind a symmetric mapping: SYMMETRIC_NAT, still 2 NATs",
                        with(
                                udp("192.168.1.2", 40000, "203.0.113.10", 61000),
                                o -> o.withGatewayExternal(Optional.of(ip("192.168.0.2")))
                                        .withMappingVariesByDestination(true)),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.SYMMETRIC_NAT,
                        NatKind.CPE,
                        "double NAT",
                        2),
                new Row(
                        "symmetric mapping over TCP fallback never claimed: UDP_BLOCKED wins",
                        with(
                                Observation.tcp(sock("192.168.1.2", 40000), sock("203.0.113.10", 61000)),
                                o -> o.withMappingVariesByDestination(true)),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.UDP_BLOCKED,
                        NatKind.CPE,
                        "UDP is blocked"));
    }

    @Test
    void anObservationWhoseRepliesContradictItsTransportIsRefused() {
        Observation udp = udp("192.168.1.2", 40000, "203.0.113.10", 61000);

        assertThatIllegalArgumentException().isThrownBy(() -> udp.withReplies(Reply.SILENT, Reply.NOT_TRIED));
        assertThatIllegalArgumentException()
                .isThrownBy(
                        () -> Observation.unanswered(sock("192.168.1.2", 0)).withReplies(Reply.ADDRESS, Reply.SILENT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edges")
    void classifiesCasesTheTableLeavesOpen(Row row) {
        classifiesEveryRowOfTheDesignTable(row);
    }

    private static Observation udp(String inside, int insidePort, String outside, int outsidePort) {
        return Observation.udp(sock(inside, insidePort), sock(outside, outsidePort));
    }

    private static Observation with(Observation base, UnaryOperator<Observation> change) {
        return change.apply(base);
    }

    /** A path whose hops answered at TTL 1, 2, ... in order, the outside address answering at {@code mappedHop}. */
    private static Optional<OutboundPath> path(int mappedHop, String... hops) {
        List<OutboundPath.Hop> list = new java.util.ArrayList<>();
        for (int i = 0; i < hops.length; i++) {
            list.add(new OutboundPath.Hop(i + 1, ip(hops[i])));
        }
        return Optional.of(new OutboundPath(list, OptionalInt.of(mappedHop)));
    }

    private static Optional<AsnRecord> asn(long number) {
        return Optional.of(new AsnRecord(number, "203.0.113.0/24", "ZZ", "EXAMPLE-" + number));
    }

    static InetSocketAddress sock(String ip, int port) {
        return new InetSocketAddress(ip(ip), port);
    }

    static InetAddress ip(String literal) {
        return AddressText.parseAddress(literal).orElseThrow(() -> new IllegalArgumentException(literal));
    }
}
