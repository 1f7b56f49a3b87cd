package dev.natcheck.output;

import dev.natcheck.address.AddressText;
import dev.natcheck.behavior.BehaviorReport;
import dev.natcheck.behavior.BindingLifetime;
import dev.natcheck.behavior.EndpointDependence;
import dev.natcheck.behavior.Finding;
import dev.natcheck.behavior.Rfc3489Type;
import dev.natcheck.classify.Classifier;
import dev.natcheck.classify.ClassifyPolicy;
import dev.natcheck.classify.Observation;
import dev.natcheck.classify.OutboundPath;
import dev.natcheck.classify.Transport;
import dev.natcheck.gateway.GatewayAnswer;
import dev.natcheck.gateway.GatewayEndpoint;
import dev.natcheck.gateway.GatewayReport;
import dev.natcheck.gateway.Protocol;
import dev.natcheck.probe.Family;
import dev.natcheck.probe.ProbeEvent;
import dev.natcheck.probe.ProbeOutcome;
import dev.natcheck.probe.ProbeState;
import dev.natcheck.probe.ProbeTarget;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Reports covering every shape an entry can take: UDP with and without the symmetric check, TCP, nothing. */
final class SampleReports {

    static final Instant FINISHED = Instant.parse("2026-01-02T03:04:05.678Z");

    private SampleReports() {}

    static Report mixed() {
        return new Report(
                List.of(
                        udp(
                                "eth0",
                                "192.168.1.2",
                                40000,
                                "203.0.113.10",
                                61000,
                                Optional.of(false),
                                0.4,
                                List.of("STUN over UDP: 203.0.113.1:3478 answered in 0.40 ms")),
                        udp("eth0", "2001:db8::2", 40001, "2001:db8::2", 40001, Optional.empty(), 12.3456, List.of()),
                        tcp(
                                "wlan0",
                                "10.0.0.5",
                                50000,
                                "203.0.113.20",
                                50001,
                                List.of("hostile \"quote\" \\ back\nslash \u0001 control \u00e9 \ud83d\ude00 \u2028")),
                        blocked("tab\tname", Family.IPV4, "192.0.2.9")),
                FINISHED,
                "1.2.3-test");
    }

    /**
     * Entries with {@code --behavior} findings: a port-restricted cone with a lifetime, a server
     * without OTHER-ADDRESS, and nothing answering.
     */
    static Report withBehavior() {
        Report.Entry cone =
                udp("eth0", "192.168.1.2", 40000, "198.51.100.2", 40000, Optional.of(false), 0.4, List.of());
        Report.Entry plain = udp("eth1", "10.0.0.5", 40001, "198.51.100.3", 40001, Optional.empty(), 1.5, List.of());
        Report.Entry none = blocked("wlan0", Family.IPV4, "192.0.2.9");
        BehaviorReport coneFindings = new BehaviorReport(
                Optional.of(sock("203.0.113.10", 3478)),
                Optional.of(sock("203.0.113.11", 3479)),
                Optional.of(sock("198.51.100.2", 50000)),
                Optional.of(true),
                Finding.measured(EndpointDependence.ENDPOINT_INDEPENDENT),
                Finding.measured(EndpointDependence.ADDRESS_AND_PORT_DEPENDENT),
                Finding.measured(false),
                Finding.measured(false),
                Finding.measured(Rfc3489Type.PORT_RESTRICTED_CONE),
                Optional.of(Duration.ofMillis(1)),
                Optional.of(new BindingLifetime(
                        Optional.of(Duration.ofSeconds(30)),
                        Optional.of(Duration.ofSeconds(45)),
                        Duration.ofSeconds(60))),
                List.of("mapping: same everywhere", "filtering: nothing from elsewhere"),
                List.of("mapping test I: answered"),
                Duration.ofMillis(250));
        Finding<EndpointDependence> unsupported =
                Finding.unknown(Finding.Reason.NOT_SUPPORTED_BY_SERVER, "no OTHER-ADDRESS");
        BehaviorReport plainFindings = new BehaviorReport(
                Optional.of(sock("203.0.113.20", 3478)),
                Optional.empty(),
                Optional.of(sock("198.51.100.3", 50001)),
                Optional.of(true),
                unsupported,
                unsupported,
                Finding.measured(true),
                Finding.unknown(Finding.Reason.NOT_SUPPORTED_BY_SERVER, "no MAPPED-ADDRESS"),
                Finding.unknown(Finding.Reason.NOT_SUPPORTED_BY_SERVER, "no OTHER-ADDRESS"),
                Optional.empty(),
                Optional.empty(),
                List.of("mapping: the server offers no OTHER-ADDRESS"),
                List.of(),
                Duration.ofMillis(300));
        Finding<EndpointDependence> silent = Finding.unknown(Finding.Reason.NO_UDP_ANSWER, "no answer");
        BehaviorReport noneFindings = new BehaviorReport(
                Optional.of(sock("203.0.113.10", 3478)),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                silent,
                silent,
                Finding.unknown(Finding.Reason.NO_UDP_ANSWER, "x"),
                Finding.unknown(Finding.Reason.NO_UDP_ANSWER, "x"),
                Finding.measured(Rfc3489Type.BLOCKED),
                Optional.empty(),
                Optional.empty(),
                List.of("no answer to any Binding Request"),
                List.of(),
                Duration.ofSeconds(5));
        return new Report(
                List.of(
                        new Report.Entry(cone.outcome(), cone.classification(), Optional.of(coneFindings)),
                        new Report.Entry(plain.outcome(), plain.classification(), Optional.of(plainFindings)),
                        new Report.Entry(none.outcome(), none.classification(), Optional.of(noneFindings))),
                FINISHED,
                "1.2.3-test");
    }

    /**
     * Entries with the gateway's word and the path: a home router behind a carrier NAT (PCP names
     * the shared WAN address, the path shows the carrier hop, with a TTL nobody answered), and a
     * gateway that answered nothing.
     */
    static Report nat444() {
        Report.Entry base =
                udp("eth0", "192.168.1.2", 40000, "198.51.100.2", 40000, Optional.of(false), 0.4, List.of());
        GatewayEndpoint endpoint = GatewayEndpoint.standard("eth0", ip("192.168.1.1"));
        GatewayReport gateway = new GatewayReport(
                endpoint,
                List.of(
                        new GatewayAnswer(
                                Protocol.PCP,
                                sock("192.168.1.1", 5351),
                                Optional.of(ip("100.64.1.2")),
                                "no-resources",
                                "PCP gateway 192.168.1.1:5351 answered NO_RESOURCES"),
                        new GatewayAnswer(
                                Protocol.UPNP,
                                sock("192.168.1.1", 1900),
                                Optional.empty(),
                                GatewayAnswer.NO_EXTERNAL_ADDRESS,
                                "UPnP IGD gateway 192.168.1.1: named no external address")));
        OutboundPath path = new OutboundPath(
                List.of(
                        new OutboundPath.Hop(1, ip("192.168.1.1")),
                        new OutboundPath.Hop(3, ip("100.64.1.1")),
                        new OutboundPath.Hop(4, ip("198.51.100.1"))),
                OptionalInt.of(4));
        Observation observation = base.outcome()
                .observation()
                .withGatewayExternal(gateway.external())
                .withPath(Optional.of(path));
        Report.Entry carrier = new Report.Entry(
                base.outcome(),
                Classifier.classify(observation, ClassifyPolicy.NO_ASN_CHECK),
                Optional.empty(),
                false,
                Optional.of(gateway),
                Optional.of(path));
        Report.Entry quiet = udp("eth1", "10.0.0.5", 40001, "198.51.100.3", 40001, Optional.empty(), 1.5, List.of());
        GatewayReport silent = new GatewayReport(
                GatewayEndpoint.standard("eth1", ip("10.0.0.1")),
                List.of(new GatewayAnswer(
                        Protocol.PCP,
                        sock("10.0.0.1", 5351),
                        Optional.empty(),
                        GatewayAnswer.NO_ANSWER,
                        "PCP gateway 10.0.0.1:5351: no PCP or NAT-PMP answer in time")));
        Report.Entry silentEntry = new Report.Entry(
                quiet.outcome(),
                quiet.classification(),
                Optional.empty(),
                false,
                Optional.of(silent),
                Optional.of(new OutboundPath(List.of(), OptionalInt.empty())));
        return new Report(List.of(carrier, silentEntry), FINISHED, "1.2.3-test");
    }

    static Report.Entry udp(
            String nic,
            String local,
            int localPort,
            String mapped,
            int mappedPort,
            Optional<Boolean> varies,
            double rttMillis,
            List<String> notes) {
        ProbeTarget target = target(nic, local);
        ProbeOutcome outcome = new ProbeOutcome(
                target,
                ProbeState.CLASSIFY,
                sock(local, localPort),
                Optional.of(Transport.UDP),
                Optional.of(sock("203.0.113.1", 3478)),
                Optional.of(sock(mapped, mappedPort)),
                varies,
                Optional.of(Duration.ofNanos((long) (rttMillis * 1e6))),
                notes,
                List.of(new ProbeOutcome.Transition(
                        ProbeState.UDP_STUN, ProbeEvent.BINDING_OK, ProbeState.CLASSIFY, Duration.ofMillis(1))));
        return new Report.Entry(outcome, Classifier.classify(outcome.observation(), ClassifyPolicy.NO_ASN_CHECK));
    }

    static Report.Entry tcp(
            String nic, String local, int localPort, String mapped, int mappedPort, List<String> notes) {
        ProbeOutcome outcome = new ProbeOutcome(
                target(nic, local),
                ProbeState.CLASSIFY,
                sock(local, localPort),
                Optional.of(Transport.TCP),
                Optional.of(sock("203.0.113.1", 8080)),
                Optional.of(sock(mapped, mappedPort)),
                Optional.empty(),
                Optional.of(Duration.ofMillis(3)),
                notes,
                List.of());
        return new Report.Entry(outcome, Classifier.classify(outcome.observation(), ClassifyPolicy.NO_ASN_CHECK));
    }

    static Report.Entry blocked(String nic, Family family, String local) {
        ProbeOutcome outcome = new ProbeOutcome(
                target(nic, local),
                ProbeState.FAIL_BLOCKED,
                sock(local, 0),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of("203.0.113.1:3478: no valid answer after 7 transmission(s)"),
                List.of(
                        new ProbeOutcome.Transition(
                                ProbeState.UDP_STUN,
                                ProbeEvent.UDP_TIMEOUT,
                                ProbeState.TCP_ECHO,
                                Duration.ofSeconds(3)),
                        new ProbeOutcome.Transition(
                                ProbeState.TCP_ECHO,
                                ProbeEvent.TCP_TIMEOUT,
                                ProbeState.FAIL_BLOCKED,
                                Duration.ofSeconds(5))));
        return new Report.Entry(outcome, Classifier.classify(outcome.observation(), ClassifyPolicy.NO_ASN_CHECK));
    }

    private static ProbeTarget target(String nic, String local) {
        var address = AddressText.parseAddress(local).orElseThrow();
        return new ProbeTarget(nic, Family.of(address), address, false, false);
    }

    private static java.net.InetAddress ip(String literal) {
        return AddressText.parseAddress(literal).orElseThrow();
    }

    private static InetSocketAddress sock(String ip, int port) {
        return new InetSocketAddress(AddressText.parseAddress(ip).orElseThrow(), port);
    }
}
