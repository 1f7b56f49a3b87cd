package dev.natcheck.probe;

import dev.natcheck.address.AddressText;
import dev.natcheck.classify.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one target through {@link ProbeState}: each non-terminal state runs its stage, the
 * stage's result becomes a {@link ProbeEvent}, and {@link ProbeState#next} picks the next state.
 */
public final class ProbeStateMachine {

    private static final Logger log = LoggerFactory.getLogger(ProbeStateMachine.class);

    private final UdpStage udp;
    private final TcpStage tcp;
    private final int tcpPort;

    public ProbeStateMachine(UdpStage udp, TcpStage tcp, int tcpPort) {
        this.udp = udp;
        this.tcp = tcp;
        this.tcpPort = tcpPort;
    }

    /**
     * Probes {@code target} against {@code servers}: the UDP stage ends by {@code udpDeadline},
     * the TCP stage (if reached) by {@code deadline}.
     *
     * @param serverNotes why some servers are missing for this family (unresolved names)
     */
    public ProbeOutcome run(
            ProbeTarget target,
            List<ResolvedServer> servers,
            List<String> serverNotes,
            Deadline udpDeadline,
            Deadline deadline)
            throws InterruptedException {
        long start = System.nanoTime();
        String name = target.interfaceName() + "/" + target.family().wireName();
        Notes notes = new Notes();
        if (target.loopback()) {
            notes.add("interface " + target.interfaceName() + " is loopback: probed on request (--local or -i), "
                    + "it says nothing about the way to the Internet");
        }
        notes.addAll(serverNotes);
        List<ProbeOutcome.Transition> transitions = new ArrayList<>();
        UdpStage.Result udpResult = null;
        TcpStage.Result tcpResult = null;
        long rejectedAt = -1;
        ProbeState state = ProbeState.UDP_STUN;
        while (!state.isTerminal()) {
            ProbeEvent event = switch (state) {
                case UDP_STUN -> {
                    log.debug("{}: UDP_STUN against {} server(s)", name, servers.size());
                    udpResult = udp.bind(target, servers, udpDeadline);
                    notes.addAll(udpResult.notes());
                    yield switch (udpResult) {
                        case UdpStage.Bound bound -> ProbeEvent.BINDING_OK;
                        case UdpStage.TimedOut timedOut -> ProbeEvent.UDP_TIMEOUT;
                        case UdpStage.Unusable unusable -> ProbeEvent.STUN_UNUSABLE;
                        case UdpStage.Unreachable unreachable -> {
                            rejectedAt = unreachable.rejectedAtNanos();
                            yield ProbeEvent.ICMP_UNREACHABLE;
                        }
                    };
                }
                case TCP_ECHO -> {
                    List<InetSocketAddress> hosts = tcpHosts(servers);
                    if (rejectedAt >= 0) {
                        // The fallback latency after an ICMP reject, measured where it happens.
                        String latency = String.format(Locale.ROOT, "%.3f", (System.nanoTime() - rejectedAt) / 1e6);
                        log.info(
                                "{}: UDP rejected with ICMP; TCP fallback started {} ms after the reject",
                                name,
                                latency);
                        notes.add("TCP fallback started " + latency + " ms after the ICMP reject");
                    }
                    log.debug("{}: TCP_ECHO to {} on port {}", name, hosts.size(), tcpPort);
                    tcpResult = tcp.echo(target, hosts, deadline);
                    notes.addAll(tcpResult.notes());
                    yield switch (tcpResult) {
                        case TcpStage.Echoed echoed -> ProbeEvent.ECHO_OK;
                        case TcpStage.TimedOut timedOut -> ProbeEvent.TCP_TIMEOUT;
                        case TcpStage.Refused refused -> ProbeEvent.TCP_REFUSED;
                        case TcpStage.Malformed malformed -> ProbeEvent.ECHO_MALFORMED;
                    };
                }
                case CLASSIFY, FAIL_BLOCKED -> throw new IllegalStateException("terminal state " + state);
            };
            ProbeState next = state.next(event);
            Duration at = Duration.ofNanos(System.nanoTime() - start);
            transitions.add(new ProbeOutcome.Transition(state, event, next, at));
            log.debug("{}: {} --{}--> {} at {} ms", name, state, event, next, at.toNanos() / 1e6);
            state = next;
        }
        return outcome(target, state, udpResult, tcpResult, notes, transitions);
    }

    private List<InetSocketAddress> tcpHosts(List<ResolvedServer> servers) {
        Set<InetSocketAddress> hosts = new LinkedHashSet<>();
        for (ResolvedServer server : servers) {
            hosts.add(new InetSocketAddress(server.address().getAddress(), tcpPort));
        }
        return List.copyOf(hosts);
    }

    private static ProbeOutcome outcome(
            ProbeTarget target,
            ProbeState state,
            UdpStage.Result udpResult,
            TcpStage.Result tcpResult,
            Notes notes,
            List<ProbeOutcome.Transition> transitions) {
        if (udpResult instanceof UdpStage.Bound bound) {
            notes.add("STUN over UDP: " + bound.server().label() + " answered in " + millis(bound.rtt()) + " ms");
            return new ProbeOutcome(
                    target,
                    state,
                    bound.local(),
                    Optional.of(Transport.UDP),
                    Optional.of(bound.server().address()),
                    Optional.of(bound.mapped()),
                    bound.mappingVariesByDestination(),
                    Optional.of(bound.rtt()),
                    notes.lines(),
                    transitions);
        }
        if (tcpResult instanceof TcpStage.Echoed echoed) {
            notes.add("TCP echo: " + AddressText.format(echoed.server()) + " answered in " + millis(echoed.rtt())
                    + " ms");
            return new ProbeOutcome(
                    target,
                    state,
                    echoed.local(),
                    Optional.of(Transport.TCP),
                    Optional.of(echoed.server()),
                    Optional.of(echoed.mapped()),
                    Optional.empty(),
                    Optional.of(echoed.rtt()),
                    notes.lines(),
                    transitions);
        }
        return ProbeOutcome.nothingLearned(target, state, notes.lines(), transitions);
    }

    private static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.2f", duration.toNanos() / 1e6);
    }
}
