package dev.natcheck.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One natcheck run: resolve the servers once, then run the state machine for every target at
 * once, all inside one overall timeout.
 *
 * <p>The timeout is split so that every stage fits: name resolution gets the first 30 %, the
 * UDP stage (with the symmetric check) runs until 60 %, the TCP fallback until 100 %. A stage
 * that ends early (an answer, an ICMP reject) hands its time to the next.
 *
 * <p>A target none of whose servers has an address of its family is not probed: when some
 * names did not resolve, its outcome says so (nothing was tried, and the classifier calls that
 * {@code UNRESOLVED}); when every name resolved, just without that family, it is left out with a
 * line in {@link Result#unprobed()}, since there was nothing to check.
 *
 * <p>Interrupted while the probes run (Ctrl-C), it returns the outcomes that are in and names
 * the probes that are not in {@link Result#unprobed()}.
 */
public final class Survey {

    static final double RESOLVE_SHARE = 0.3;
    static final double UDP_SHARE = 0.6;

    private final ProbeStateMachine machine;
    private final NameResolver resolver;

    public Survey(ProbeStateMachine machine, NameResolver resolver) {
        this.machine = machine;
        this.resolver = resolver;
    }

    /**
     * What a run produced: an outcome per probed target, and why other targets were not probed.
     *
     * @param unprobed one line per target left out, e.g. no server of its family
     * @param unresolved one line per server whose name did not resolve, with why
     */
    public record Result(List<ProbeOutcome> outcomes, List<String> unprobed, List<String> unresolved) {
        public Result {
            outcomes = List.copyOf(outcomes);
            unprobed = List.copyOf(unprobed);
            unresolved = List.copyOf(unresolved);
        }
    }

    /**
     * Probes every target against {@code servers}; outcomes in target order. A target whose
     * family no server has an address of is not probed at all: "BLOCKED" would claim a
     * network that was never asked.
     */
    public Result run(List<ProbeTarget> targets, List<ServerSpec> servers, Duration timeout)
            throws InterruptedException {
        if (targets.isEmpty()) {
            return new Result(List.of(), List.of(), List.of());
        }
        long start = System.nanoTime();
        long total = timeout.toNanos();
        Deadline resolveDeadline = new Deadline(start + (long) (total * RESOLVE_SHARE));
        Deadline udpDeadline = new Deadline(start + (long) (total * UDP_SHARE));
        Deadline deadline = new Deadline(start + total);
        ServerDirectory directory = ServerDirectory.resolve(servers, resolver, resolveDeadline);
        List<String> unprobed = new ArrayList<>();
        List<Future<ProbeOutcome>> futures = new ArrayList<>();
        List<ProbeTarget> probed = new ArrayList<>();
        // Platform threads: a virtual thread blocking in Selector.select starts the JDK's
        // MasterPoller, a thread that then sits in native code, and System.exit waits up to
        // 300 ms for such threads (measured: one run in six took 0.3 s longer).
        ExecutorService executor =
                Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory());
        try {
            for (ProbeTarget target : targets) {
                List<ResolvedServer> forFamily = directory.servers(target.family());
                if (forFamily.isEmpty() && !directory.unresolved().isEmpty()) {
                    futures.add(CompletableFuture.completedFuture(unresolved(target, directory)));
                    probed.add(target);
                    continue;
                }
                if (forFamily.isEmpty()) {
                    unprobed.add(target.interfaceName() + " " + target.family().wireName()
                            + ": not probed, no server has an "
                            + (target.family() == Family.IPV4 ? "IPv4" : "IPv6") + " address"
                            + (directory.notes(target.family()).isEmpty()
                                    ? ""
                                    : " (" + String.join("; ", directory.notes(target.family())) + ")"));
                    continue;
                }
                futures.add(executor.submit(
                        () -> machine.run(target, forFamily, directory.notes(target.family()), udpDeadline, deadline)));
                probed.add(target);
            }
            List<ProbeOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    outcomes.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("probe failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    // Ctrl-C: the probes that have finished are reported, the others named.
                    executor.shutdownNow();
                    for (int j = i; j < futures.size(); j++) {
                        if (futures.get(j).state() == Future.State.SUCCESS) {
                            outcomes.add(futures.get(j).resultNow());
                        } else {
                            unprobed.add(probed.get(j).interfaceName() + " "
                                    + probed.get(j).family().wireName()
                                    + ": not reported, interrupted before the probe finished");
                        }
                    }
                    return new Result(outcomes, unprobed, directory.unresolved());
                }
            }
            return new Result(outcomes, unprobed, directory.unresolved());
        } finally {
            executor.shutdownNow();
        }
    }

    /** The outcome of a target that could not be probed because no server name resolved. */
    private static ProbeOutcome unresolved(ProbeTarget target, ServerDirectory directory) {
        return ProbeOutcome.nothingLearned(
                target, ProbeState.FAIL_BLOCKED, directory.notes(target.family()), List.of());
    }
}
