package dev.natcheck.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.classify.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The machine driven through each path of the state diagram with scripted stages. */
class ProbeStateMachineTest {

    private static final ProbeTarget TARGET = new ProbeTarget("eth0", Family.IPV4, ip("192.168.1.2"), false, false);
    private static final ResolvedServer SERVER =
            new ResolvedServer(ServerSpec.parse("stun.test:3478"), new InetSocketAddress(ip("203.0.113.1"), 3478));
    private static final InetSocketAddress LOCAL = new InetSocketAddress(ip("192.168.1.2"), 40000);
    private static final InetSocketAddress MAPPED = new InetSocketAddress(ip("198.51.100.7"), 61000);

    private final List<List<InetSocketAddress>> tcpCalls = new ArrayList<>();
    private final AtomicInteger udpCalls = new AtomicInteger();

    @Test
    void udpStunBindingOkGoesToClassifyWithoutTcp() throws Exception {
        ProbeOutcome outcome = run(
                udp(new UdpStage.Bound(
                        LOCAL, SERVER, MAPPED, Duration.ofMillis(3), Optional.of(false), List.of("bound"))),
                tcp(null));

        assertThat(outcome.finalState()).isEqualTo(ProbeState.CLASSIFY);
        assertThat(outcome.transitions())
                .extracting(ProbeOutcome.Transition::event)
                .containsExactly(ProbeEvent.BINDING_OK);
        assertThat(tcpCalls).isEmpty();
        assertThat(outcome.transport()).contains(Transport.UDP);
        assertThat(outcome.mapped()).contains(MAPPED);
        assertThat(outcome.local()).isEqualTo(LOCAL);
        assertThat(outcome.mappingVariesByDestination()).contains(false);
        assertThat(outcome.notes())
                .contains("bound")
                .anySatisfy(n -> assertThat(n).contains("answered in"));
    }

    @Test
    void udpTimeoutFallsBackToTcpEchoWhichClassifies() throws Exception {
        ProbeOutcome outcome = run(
                udp(new UdpStage.TimedOut(List.of("silence"))),
                tcp(new TcpStage.Echoed(
                        LOCAL,
                        new InetSocketAddress(ip("203.0.113.1"), 8080),
                        MAPPED,
                        Duration.ofMillis(2),
                        List.of())));

        assertThat(outcome.transitions())
                .extracting(t -> t.from() + ">" + t.event() + ">" + t.to())
                .containsExactly("UDP_STUN>UDP_TIMEOUT>TCP_ECHO", "TCP_ECHO>ECHO_OK>CLASSIFY");
        assertThat(tcpCalls).containsExactly(List.of(new InetSocketAddress(ip("203.0.113.1"), 8080)));
        assertThat(outcome.transport()).contains(Transport.TCP);
        assertThat(outcome.mappingVariesByDestination()).isEmpty();
        assertThat(outcome.notes()).contains("silence");
    }

    @Test
    void icmpUnreachableFallsBackToTcpAndNotesTheFallbackLatency() throws Exception {
        ProbeOutcome outcome = run(
                udp(new UdpStage.Unreachable(System.nanoTime(), List.of("icmp"))),
                tcp(new TcpStage.Refused(List.of("refused"))));

        assertThat(outcome.transitions())
                .extracting(t -> t.from() + ">" + t.event() + ">" + t.to())
                .containsExactly("UDP_STUN>ICMP_UNREACHABLE>TCP_ECHO", "TCP_ECHO>TCP_REFUSED>FAIL_BLOCKED");
        assertThat(outcome.notes())
                .anySatisfy(n -> assertThat(n).matches("TCP fallback started [0-9.]+ ms after the ICMP reject"));
        assertThat(outcome.finalState()).isEqualTo(ProbeState.FAIL_BLOCKED);
        assertThat(outcome.transport()).isEmpty();
        assertThat(outcome.mapped()).isEmpty();
        assertThat(outcome.local()).isEqualTo(new InetSocketAddress(TARGET.address(), 0));
    }

    @Test
    void tcpTimeoutEndsInFailBlocked() throws Exception {
        ProbeOutcome outcome = run(udp(new UdpStage.TimedOut(List.of())), tcp(new TcpStage.TimedOut(List.of("late"))));

        assertThat(outcome.transitions())
                .extracting(ProbeOutcome.Transition::event)
                .containsExactly(ProbeEvent.UDP_TIMEOUT, ProbeEvent.TCP_TIMEOUT);
        assertThat(outcome.finalState()).isEqualTo(ProbeState.FAIL_BLOCKED);
        assertThat(outcome.observation().outside()).isEmpty();
    }

    @Test
    void malformedEchoIsEvidenceAndEndsInFailBlocked() throws Exception {
        ProbeOutcome outcome = run(
                udp(new UdpStage.TimedOut(List.of())),
                tcp(new TcpStage.Malformed(List.of("malformed line \"hello\""))));

        assertThat(outcome.transitions())
                .extracting(ProbeOutcome.Transition::event)
                .containsExactly(ProbeEvent.UDP_TIMEOUT, ProbeEvent.ECHO_MALFORMED);
        assertThat(outcome.finalState()).isEqualTo(ProbeState.FAIL_BLOCKED);
        assertThat(outcome.notes()).contains("malformed line \"hello\"");
    }

    @Test
    void loopbackTargetsSaySoInTheEvidence() throws Exception {
        ProbeTarget loopback = new ProbeTarget("lo", Family.IPV4, ip("127.0.0.1"), false, true);
        ProbeOutcome outcome = new ProbeStateMachine(
                        udp(new UdpStage.TimedOut(List.of())), tcp(new TcpStage.TimedOut(List.of())), 8080)
                .run(
                        loopback,
                        List.of(SERVER),
                        List.of(),
                        Deadline.after(Duration.ofSeconds(1)),
                        Deadline.after(Duration.ofSeconds(1)));

        assertThat(outcome.notes()).anySatisfy(n -> assertThat(n).contains("interface lo is loopback"));
    }

    private ProbeOutcome run(UdpStage udp, TcpStage tcp) throws InterruptedException {
        return new ProbeStateMachine(udp, tcp, 8080)
                .run(
                        TARGET,
                        List.of(SERVER),
                        List.of(),
                        Deadline.after(Duration.ofSeconds(1)),
                        Deadline.after(Duration.ofSeconds(2)));
    }

    private UdpStage udp(UdpStage.Result result) {
        return (target, servers, deadline) -> {
            udpCalls.incrementAndGet();
            assertThat(servers).containsExactly(SERVER);
            return result;
        };
    }

    private TcpStage tcp(TcpStage.Result result) {
        return (target, hosts, deadline) -> {
            tcpCalls.add(hosts);
            return result;
        };
    }

    static InetAddress ip(String literal) {
        return dev.natcheck.address.AddressText.parseAddress(literal).orElseThrow();
    }
}
