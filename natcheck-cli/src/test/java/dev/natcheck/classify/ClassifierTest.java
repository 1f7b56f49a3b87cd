package dev.natcheck.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.natcheck.address.AddressText;
import dev.natcheck.asn.AsnRecord;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
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

    record Row(
            String name,
            Observation observation,
            ClassifyPolicy policy,
            Verdict verdict,
            NatKind nat,
            String evidence) {
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
                        "no address translation"),
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
                        "RFC 6598"),
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
                        "no ASN check configured"),
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
                        "gateway's own external address"),
                new Row(
                        "IPv4 private | public | gateway's external address RFC 1918, ASN evidence | CG_NAT",
                        with(
                                udp("192.168.1.2", 40000, "203.0.113.10", 61000),
                                o -> o.withGatewayExternal(Optional.of(ip("10.0.0.2")))
                                        .withOutsideAsn(asn(CARRIER_ASN))),
                        ALLOW_LIST,
                        Verdict.CG_NAT,
                        NatKind.CGNAT,
                        "is private (RFC 1918) and"),
                new Row(
                        "IPv4 private | public | gateway's external address RFC 1918, no ASN evidence | CPE_NAT double NAT",
                        with(
                                udp("192.168.1.2", 40000, "203.0.113.10", 61000),
                                o -> o.withGatewayExternal(Optional.of(ip("192.168.100.2")))),
                        ClassifyPolicy.NO_ASN_CHECK,
                        Verdict.CPE_NAT,
                        NatKind.CPE,
                        "double NAT"),
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
                        "no answer over UDP; no answer from the TCP echo"),
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
                        "not CG-NAT evidence"));
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
