package dev.natcheck.behavior;

import dev.natcheck.address.AddressText;
import dev.natcheck.classify.Transport;
import dev.natcheck.probe.Deadline;
import dev.natcheck.probe.ProbeOutcome;
import dev.natcheck.probe.ProbeTarget;
import dev.natcheck.probe.ResolvedServer;
import dev.natcheck.probe.ServerDirectory;
import dev.natcheck.transaction.Pacer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code --behavior} for a whole run: the behaviour discovery for every interface and family to
 * probe, all at once and alongside the probes themselves (different sockets, so neither disturbs
 * the other), each from the interface's own address, under one {@link Pacer} and one time limit.
 *
 * <p>Servers are asked in the user's order; one without OTHER-ADDRESS is passed over for the
 * next (see {@link BehaviorDiscovery}).
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

    /** How long an interrupted survey waits for its tests to hand in what they have. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    /**
     * One report per target, in the same order, all within {@code timeout} (plus the lifetime
     * test). Interrupted (Ctrl-C), it stops the tests and returns what they had: a lifetime test
     * its idle times so far, a target whose tests had not finished nothing.
     */
    public List<Optional<BehaviorReport>> run(List<ProbeTarget> targets, ServerDirectory directory, Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        List<Future<BehaviorReport>> futures = new ArrayList<>();
        ExecutorService executor =
                Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory());
        try {
            for (ProbeTarget target : targets) {
                List<InetSocketAddress> candidates = directory.servers(target.family()).stream()
                        .map(ResolvedServer::address)
                        .distinct()
                        .toList();
                futures.add(executor.submit(() -> discover(target, candidates, deadline)));
            }
            List<Optional<BehaviorReport>> reports = new ArrayList<>();
            for (Future<BehaviorReport> future : futures) {
                try {
                    reports.add(Optional.of(future.get()));
                } catch (ExecutionException e) {
                    throw new IllegalStateException("behaviour discovery failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    return whatIsKnown(futures, executor);
                }
            }
            return reports;
        } finally {
            executor.shutdownNow();
        }
    }

    /** Stops every test (they see an interrupt) and collects what each hands in within {@link #GRACE}. */
    private static List<Optional<BehaviorReport>> whatIsKnown(
            List<Future<BehaviorReport>> futures, ExecutorService executor) {
        executor.shutdownNow();
        Deadline grace = Deadline.after(GRACE);
        List<Optional<BehaviorReport>> reports = new ArrayList<>();
        for (Future<BehaviorReport> future : futures) {
            try {
                reports.add(Optional.of(future.get(Math.max(0, grace.remainingNanos()), TimeUnit.NANOSECONDS)));
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                reports.add(Optional.empty());
            }
        }
        return reports;
    }

    /**
     * The report to print next to {@code outcome}: when the probe's own UDP requests went
     * unanswered but the behaviour tests, retransmitting more often, were answered, the evidence
     * says so, since the probe's verdict then rests on lost packets rather than a blocked path.
     */
    public static BehaviorReport alongside(ProbeOutcome outcome, BehaviorReport report) {
        if (outcome.transport().equals(Optional.of(Transport.UDP))
                || report.mapped().isEmpty()
                || report.server().isEmpty()) {
            return report;
        }
        return report.withEvidence("UDP gets through: the behaviour tests were answered by "
                + AddressText.format(report.server().get()) + " (mapped "
                + AddressText.format(report.mapped().get())
                + ") although the probe's own UDP requests were not, so the probe's verdict rests on lost packets");
    }

    private BehaviorReport discover(ProbeTarget target, List<InetSocketAddress> candidates, Deadline deadline)
            throws InterruptedException {
        BehaviorReport report = discovery.discover(target.address(), candidates, deadline);
        if (lifetimeLimit.isPresent()
                && report.server().isPresent()
                && report.mapped().isPresent()) {
            return new LifetimeDiscovery(discovery.pacer()).measure(target.address(), report, lifetimeLimit.get());
        }
        return report;
    }
}
