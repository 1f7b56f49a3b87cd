package dev.natcheck.probe;

import dev.natcheck.classify.Observation;
import dev.natcheck.classify.Reply;
import dev.natcheck.classify.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the state machine found for one target, before classification.
 *
 * @param local the socket address the answering probe used (port 0 when nothing answered)
 * @param server the address that answered
 * @param mapped the outside address that server reported
 * @param notes evidence gathered while probing: servers tried, answers ignored, timings
 * @param transitions every state change, with its time since the probe started
 */
public record ProbeOutcome(
        ProbeTarget target,
        ProbeState finalState,
        InetSocketAddress local,
        Optional<Transport> transport,
        Optional<InetSocketAddress> server,
        Optional<InetSocketAddress> mapped,
        Optional<Boolean> mappingVariesByDestination,
        Optional<Duration> rtt,
        List<String> notes,
        List<Transition> transitions) {

    /** One state change: {@code from --event--> to}, {@code at} after the probe started. */
    public record Transition(ProbeState from, ProbeEvent event, ProbeState to, Duration at) {}

    public ProbeOutcome {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(finalState, "finalState");
        Objects.requireNonNull(local, "local");
        if (!finalState.isTerminal()) {
            throw new IllegalArgumentException("outcome in a non-terminal state " + finalState);
        }
        notes = List.copyOf(notes);
        transitions = List.copyOf(transitions);
    }

    /** An outcome that learned nothing but {@code notes}: no server answered, or none could be asked. */
    static ProbeOutcome nothingLearned(
            ProbeTarget target, ProbeState finalState, List<String> notes, List<Transition> transitions) {
        return new ProbeOutcome(
                target,
                finalState,
                new InetSocketAddress(target.address(), 0),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                notes,
                transitions);
    }

    /** The classifier's input; ASN and gateway evidence are added by the caller. */
    public Observation observation() {
        Reply udp = Reply.NOT_TRIED;
        Reply tcp = Reply.NOT_TRIED;
        for (Transition transition : transitions) {
            switch (transition.event()) {
                case BINDING_OK -> udp = Reply.ADDRESS;
                case UDP_TIMEOUT -> udp = Reply.SILENT;
                case ICMP_UNREACHABLE -> udp = Reply.REFUSED;
                case STUN_UNUSABLE -> udp = Reply.UNUSABLE;
                case ECHO_OK -> tcp = Reply.ADDRESS;
                case TCP_TIMEOUT -> tcp = Reply.SILENT;
                case TCP_REFUSED -> tcp = Reply.REFUSED;
                case ECHO_MALFORMED -> tcp = Reply.UNUSABLE;
            }
        }
        if (transport.equals(Optional.of(Transport.UDP))) {
            udp = Reply.ADDRESS;
        } else if (transport.equals(Optional.of(Transport.TCP))) {
            tcp = Reply.ADDRESS;
            // The TCP echo only runs after UDP brought no address.
            udp = udp == Reply.NOT_TRIED || udp == Reply.ADDRESS ? Reply.SILENT : udp;
        }
        return new Observation(
                local,
                mapped,
                transport,
                mappingVariesByDestination,
                target.overlay(),
                Optional.empty(),
                Optional.empty(),
                udp,
                tcp,
                Optional.empty());
    }
}
