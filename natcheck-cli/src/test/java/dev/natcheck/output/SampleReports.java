package dev.natcheck.output;

import dev.natcheck.classify.AddressText;
import dev.natcheck.classify.Classifier;
import dev.natcheck.classify.ClassifyPolicy;
import dev.natcheck.classify.Transport;
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

/** Reports covering every shape an entry can take: UDP with and without the symmetric check, TCP, nothing. */
final class SampleReports {

    static final Instant FINISHED = Instant.parse("2026-01-02T03:04:05.678Z");

    private SampleReports() {
    }

    static Report mixed() {
        return new Report(List.of(
                udp("eth0", "192.168.1.2", 40000, "203.0.113.10", 61000, Optional.of(false), 0.4,
                        List.of("STUN over UDP: 203.0.113.1:3478 answered in 0.40 ms")),
                udp("eth0", "2001:db8::2", 40001, "2001:db8::2", 40001, Optional.empty(), 12.3456, List.of()),
                tcp("wlan0", "10.0.0.5", 50000, "203.0.113.20", 50001,
                        List.of("hostile \"quote\" \\ back\nslash \u0001 control \u00e9 \ud83d\ude00 \u2028")),
                blocked("tab\tname", Family.IPV4, "192.0.2.9")),
                FINISHED, "1.2.3-test");
    }

    static Report.Entry udp(String nic, String local, int localPort, String mapped, int mappedPort,
            Optional<Boolean> varies, double rttMillis, List<String> notes) {
        ProbeTarget target = target(nic, local);
        ProbeOutcome outcome = new ProbeOutcome(target, ProbeState.CLASSIFY, sock(local, localPort),
                Optional.of(Transport.UDP), Optional.of(sock("203.0.113.1", 3478)), Optional.of(sock(mapped, mappedPort)),
                varies, Optional.of(Duration.ofNanos((long) (rttMillis * 1e6))), notes,
                List.of(new ProbeOutcome.Transition(ProbeState.UDP_STUN, ProbeEvent.BINDING_OK, ProbeState.CLASSIFY,
                        Duration.ofMillis(1))));
        return new Report.Entry(outcome, Classifier.classify(outcome.observation(), ClassifyPolicy.NO_ASN_CHECK));
    }

    static Report.Entry tcp(String nic, String local, int localPort, String mapped, int mappedPort, List<String> notes) {
        ProbeOutcome outcome = new ProbeOutcome(target(nic, local), ProbeState.CLASSIFY, sock(local, localPort),
                Optional.of(Transport.TCP), Optional.of(sock("203.0.113.1", 8080)), Optional.of(sock(mapped, mappedPort)),
                Optional.empty(), Optional.of(Duration.ofMillis(3)), notes, List.of());
        return new Report.Entry(outcome, Classifier.classify(outcome.observation(), ClassifyPolicy.NO_ASN_CHECK));
    }

    static Report.Entry blocked(String nic, Family family, String local) {
        ProbeOutcome outcome = new ProbeOutcome(target(nic, local), ProbeState.FAIL_BLOCKED, sock(local, 0),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of("203.0.113.1:3478: ICMP port unreachable"), List.of());
        return new Report.Entry(outcome, Classifier.classify(outcome.observation(), ClassifyPolicy.NO_ASN_CHECK));
    }

    private static ProbeTarget target(String nic, String local) {
        var address = AddressText.parseAddress(local).orElseThrow();
        return new ProbeTarget(nic, Family.of(address), address, false, false);
    }

    private static InetSocketAddress sock(String ip, int port) {
        return new InetSocketAddress(AddressText.parseAddress(ip).orElseThrow(), port);
    }
}
