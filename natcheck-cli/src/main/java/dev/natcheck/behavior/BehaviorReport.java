package dev.natcheck.behavior;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the RFC 5780 behaviour discovery found for one interface and address family.
 *
 * @param server the STUN server the tests ran against; empty when none could be asked
 * @param otherAddress the server's OTHER-ADDRESS, when it offered a usable one
 * @param mapped the mapping test I saw
 * @param translated whether {@code mapped} differs from the socket's own address; empty when unknown
 * @param rtt the round trip the timeouts were derived from
 * @param lifetime the binding lifetime, when {@code --lifetime} asked for it
 * @param evidence why each finding is what it is, one line per finding
 * @param notes what happened on the wire: each test's answer or silence, datagrams ignored
 * @param elapsed how long the discovery took
 */
public record BehaviorReport(
        Optional<InetSocketAddress> server,
        Optional<InetSocketAddress> otherAddress,
        Optional<InetSocketAddress> mapped,
        Optional<Boolean> translated,
        Finding<EndpointDependence> mapping,
        Finding<EndpointDependence> filtering,
        Finding<Boolean> hairpin,
        Finding<Boolean> alg,
        Finding<Rfc3489Type> rfc3489Type,
        Optional<Duration> rtt,
        Optional<BindingLifetime> lifetime,
        List<String> evidence,
        List<String> notes,
        Duration elapsed) {

    public BehaviorReport {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(otherAddress, "otherAddress");
        Objects.requireNonNull(mapped, "mapped");
        Objects.requireNonNull(translated, "translated");
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(filtering, "filtering");
        Objects.requireNonNull(hairpin, "hairpin");
        Objects.requireNonNull(alg, "alg");
        Objects.requireNonNull(rfc3489Type, "rfc3489Type");
        Objects.requireNonNull(rtt, "rtt");
        Objects.requireNonNull(lifetime, "lifetime");
        evidence = List.copyOf(evidence);
        notes = List.copyOf(notes);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** The same report with one more evidence line. */
    public BehaviorReport withEvidence(String line) {
        return with(lifetime, List.of(line), List.of());
    }

    /** The same report with the binding lifetime added. */
    public BehaviorReport withLifetime(BindingLifetime measured, List<String> moreNotes) {
        return with(Optional.of(measured), List.of(measured.describe()), moreNotes);
    }

    private BehaviorReport with(
            Optional<BindingLifetime> newLifetime, List<String> moreEvidence, List<String> moreNotes) {
        List<String> allEvidence = new ArrayList<>(evidence);
        allEvidence.addAll(moreEvidence);
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.addAll(moreNotes);
        return new BehaviorReport(
                server,
                otherAddress,
                mapped,
                translated,
                mapping,
                filtering,
                hairpin,
                alg,
                rfc3489Type,
                rtt,
                newLifetime,
                allEvidence,
                allNotes,
                elapsed);
    }
}
