package dev.natcheck.behavior;

import dev.natcheck.classify.Transport;
import dev.natcheck.probe.Deadline;
import dev.natcheck.probe.ProbeOutcome;
import dev.natcheck.probe.ServerDirectory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code --behavior} for a whole run: after the probes, the behaviour discovery for every probed
 * interface and family at once, each from the probe's own interface address, all under one
 * {@link Pacer} and one time limit.
 *
 * <p>The server that answered the probe over UDP is asked first (it is known to be reachable);
 * the other servers of the family follow in the user's order, for when it has no OTHER-ADDRESS.
 * A probe that got no UDP answer still runs the discovery, whose control requests retransmit
 * longer than the probe's did.
 */
public final class BehaviorSurvey {

    private final BehaviorDiscovery discovery;
    private final Optional<Duration> lifetimeLimit;

    /**
     * @param lifetimeLimit the longest binding idle time to test (RFC 5780 section 4.6); empty
     *     skips that test, which takes as long as the limit
     */
    public BehaviorSurvey(BehaviorDiscovery discovery, Optional<Duration> lifetimeLimit) {
        this.discovery = discovery;
        this.lifetimeLimit = lifetimeLimit;
    }

    /** One report per outcome, in the same order, all within {@code timeout} (plus the lifetime test). */
    public List<BehaviorReport> run(List<ProbeOutcome> outcomes, ServerDirectory directory, Duration timeout)
            throws InterruptedException {
        Deadline deadline = Deadline.after(timeout);
        List<Future<BehaviorReport>> futures = new ArrayList<>();
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (ProbeOutcome outcome : outcomes) {
                List<InetSocketAddress> candidates = candidates(outcome, directory);
                futures.add(executor.submit(() -> discover(outcome, candidates, deadline)));
            }
            List<BehaviorReport> reports = new ArrayList<>();
            for (Future<BehaviorReport> future : futures) {
                try {
                    reports.add(future.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("behaviour discovery failed: " + e.getCause(), e.getCause());
                }
            }
            return reports;
        } finally {
            executor.shutdownNow();
        }
    }

    private BehaviorReport discover(ProbeOutcome outcome, List<InetSocketAddress> candidates, Deadline deadline)
            throws InterruptedException {
        BehaviorReport report = discovery.discover(outcome.target().address(), candidates, deadline);
        if (lifetimeLimit.isPresent() && report.server().isPresent() && report.mapped().isPresent()) {
            return new LifetimeDiscovery(discovery.pacer()).measure(outcome.target().address(), report,
                    lifetimeLimit.get());
        }
        return report;
    }

    /** The probe's answering server first, then every other server of the family. */
    static List<InetSocketAddress> candidates(ProbeOutcome outcome, ServerDirectory directory) {
        LinkedHashSet<InetSocketAddress> candidates = new LinkedHashSet<>();
        if (outcome.transport().equals(Optional.of(Transport.UDP))) {
            outcome.server().ifPresent(candidates::add);
        }
        directory.servers(outcome.target().family()).forEach(s -> candidates.add(s.address()));
        return List.copyOf(candidates);
    }
}
