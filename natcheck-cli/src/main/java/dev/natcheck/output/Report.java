package dev.natcheck.output;

import dev.natcheck.address.AddressText;
import dev.natcheck.behavior.BehaviorReport;
import dev.natcheck.classify.Classification;
import dev.natcheck.classify.OutboundPath;
import dev.natcheck.classify.Verdict;
import dev.natcheck.gateway.GatewayReport;
import dev.natcheck.probe.ProbeOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one run found, ready to print: per probe the raw outcome, its classification, and
 * the evidence of both.
 *
 * @param finishedAt when the run ended (the Prometheus last-run timestamp)
 * @param version natcheck's version (the Prometheus build info)
 */
public record Report(List<Entry> entries, Instant finishedAt, String version) {

    public Report {
        entries = List.copyOf(entries);
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(version, "version");
    }

    /**
     * One probe: interface and family, what answered, and the verdict with its evidence.
     *
     * @param behavior the RFC 5780 behaviour findings, when {@code --behavior} asked for them
     * @param serverOnThisHost the server that answered is an address of this host, so the probe's
     *     traffic never left the machine
     * @param gateway what the interface's default gateway said about its external address, when asked
     * @param path what TTL-limited probes saw on the way out, when they ran
     */
    public record Entry(
            ProbeOutcome outcome,
            Classification classification,
            Optional<BehaviorReport> behavior,
            boolean serverOnThisHost,
            Optional<GatewayReport> gateway,
            Optional<OutboundPath> path) {

        public Entry {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(classification, "classification");
            Objects.requireNonNull(behavior, "behavior");
            Objects.requireNonNull(gateway, "gateway");
            Objects.requireNonNull(path, "path");
        }

        /** An entry without gateway and path findings. */
        public Entry(
                ProbeOutcome outcome,
                Classification classification,
                Optional<BehaviorReport> behavior,
                boolean serverOnThisHost) {
            this(outcome, classification, behavior, serverOnThisHost, Optional.empty(), Optional.empty());
        }

        /** An entry whose server (if any answered) is elsewhere. */
        public Entry(ProbeOutcome outcome, Classification classification, Optional<BehaviorReport> behavior) {
            this(outcome, classification, behavior, false);
        }

        /** An entry without behaviour findings. */
        public Entry(ProbeOutcome outcome, Classification classification) {
            this(outcome, classification, Optional.empty());
        }

        public String interfaceName() {
            return outcome.target().interfaceName();
        }

        public String family() {
            return outcome.target().family().wireName();
        }

        public Verdict verdict() {
            return classification.verdict();
        }

        /** "192.0.2.1:3478"-style text of the mapped address, when something answered. */
        public Optional<String> mapped() {
            return outcome.mapped().map(AddressText::format);
        }

        public Optional<String> server() {
            return outcome.server().map(AddressText::format);
        }

        public String local() {
            return AddressText.format(outcome.local());
        }

        public Optional<Double> rttMillis() {
            return outcome.rtt().map(d -> d.toNanos() / 1e6);
        }

        /** Why the verdict (classification first), then what the probe saw along the way. */
        public List<String> evidence() {
            List<String> all = new ArrayList<>(classification.evidence());
            all.addAll(outcome.notes());
            return all;
        }
    }

    /**
     * Exit status (docs/cli.md, "Exit status"): 0 when some probe learned its outside address (any
     * verdict but BLOCKED, REFUSED, SERVER_ERROR and UNRESOLVED), else 1: nothing found out.
     */
    public int exitCode() {
        return entries.stream().anyMatch(e -> e.verdict().outsideKnown()) ? 0 : 1;
    }
}
