package dev.natcheck.relay;

import dev.natcheck.probe.Family;
import dev.natcheck.probe.NameResolver;
import dev.natcheck.transaction.Ignored;
import dev.natcheck.transaction.LongTermLogin;
import dev.natcheck.transaction.Transaction;
import dev.natcheck.transaction.TransactionLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code natcheck relay}: every relay checked at once on one {@link TransactionLoop} (names
 * resolved first, in parallel), each by its {@link RelayCheck}, inside {@code timeout}; then what
 * is still allocated is released, with {@link #releaseBudget} more. An interruption (Ctrl-C) ends
 * the checks where they stand and still releases.
 */
public final class RelaySurvey {

    private static final Logger log = LoggerFactory.getLogger(RelaySurvey.class);

    /** Share of the timeout name resolution may take. */
    private static final double RESOLVE_SHARE = 0.3;
    /** The release after the deadline takes at least this long to give a slow relay its answer... */
    private static final Duration MIN_RELEASE = Duration.ofSeconds(1);
    /** ...and at most this long, so a run never hangs on relays that went silent. */
    private static final Duration MAX_RELEASE = Duration.ofSeconds(3);

    /**
     * What a run takes besides the relays.
     *
     * @param family the address family to reach relays over; empty: IPv4 when the name has an
     *     IPv4 address, else IPv6
     * @param credentials what to answer a 401 with; empty: nothing (a relay that wants credentials fails)
     * @param version natcheck's version, for the report
     */
    public record Settings(
            Duration timeout, Optional<Family> family, Optional<TurnCredentials> credentials, String version) {}

    private final NameResolver resolver;

    public RelaySurvey(NameResolver resolver) {
        this.resolver = resolver;
    }

    /** Checks every relay of {@code servers}; returns when all are done and released, or interrupted and released. */
    public RelayReport run(List<TurnServer> servers, Settings settings) throws IOException {
        long start = System.nanoTime();
        long deadline = start + settings.timeout().toNanos();
        Optional<LongTermLogin> login = settings.credentials().map(c -> c.login(Instant.now()));
        List<Optional<InetSocketAddress>> addresses = new ArrayList<>();
        List<String> unresolved = new ArrayList<>();
        boolean interrupted =
                resolve(resolver, servers, settings.family(), settings.timeout(), start, addresses, unresolved);

        Allocation.prepare();
        List<RelayCheck> checks = new ArrayList<>();
        List<Ignored> stray = new ArrayList<>();
        try (TransactionLoop loop = new TransactionLoop(ignored -> route(ignored, checks, stray))) {
            long checksStart = System.nanoTime();
            if (log.isDebugEnabled()) {
                // Wall-clock time, to the microsecond: a benchmark compares it with when it started the process.
                Instant now = Instant.now();
                log.debug(
                        "relay checks of {} relays start at unix time {}.{} s",
                        servers.size(),
                        now.getEpochSecond(),
                        String.format(Locale.ROOT, "%06d", now.getNano() / 1000));
            }
            for (int i = 0; i < servers.size() && !interrupted; i++) {
                if (addresses.get(i).isPresent()) {
                    RelayCheck check =
                            new RelayCheck(servers.get(i), addresses.get(i).get(), login, checksStart);
                    checks.add(check);
                    check.start(loop, deadline);
                }
            }
            try {
                if (!interrupted) {
                    loop.run(deadline, transaction -> settled(transaction, checks, loop, deadline));
                }
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                release(loop, checks);
            }
        }
        log.debug(
                "relay survey done {} ms after it started",
                String.format(Locale.ROOT, "%.3f", (System.nanoTime() - start) / 1e6));
        return new RelayReport(
                outcomes(servers, addresses, unresolved, checks),
                settings.credentials().map(TurnCredentials::describe).orElse("none"),
                interrupted,
                Instant.now(),
                settings.version());
    }

    /**
     * Every relay's outcome, in the order named: its check's where one ran (checks are made in that
     * order, one for each resolved relay until an interruption), else why it was not checked.
     */
    static List<RelayOutcome> outcomes(
            List<TurnServer> servers,
            List<Optional<InetSocketAddress>> addresses,
            List<String> unresolved,
            List<RelayCheck> checks) {
        List<RelayOutcome> outcomes = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < servers.size(); i++) {
            if (addresses.get(i).isPresent()
                    && next < checks.size()
                    && checks.get(next).server() == servers.get(i)) {
                outcomes.add(checks.get(next++).outcome());
            } else {
                outcomes.add(RelayOutcome.unresolved(
                        servers.get(i), unresolved.get(i).isEmpty() ? "not checked: interrupted" : unresolved.get(i)));
            }
        }
        return outcomes;
    }

    /**
     * Every relay whose check is not done sends (or keeps waiting for) its release, for as long as
     * {@link #releaseBudget} allows; then what is still unconfirmed stays so. A second interruption
     * gives up at once: the relays free their allocations when the lifetime ends.
     */
    private static void release(TransactionLoop loop, List<RelayCheck> checks) {
        Thread.interrupted(); // the first interruption has been taken: the release must still go out
        Duration budget = releaseBudget(checks);
        long releaseDeadline = System.nanoTime() + budget.toNanos();
        for (RelayCheck check : checks) {
            check.timeUp(loop, budget);
        }
        try {
            loop.run(releaseDeadline, transaction -> settled(transaction, checks, loop, releaseDeadline));
        } catch (InterruptedException | IOException e) {
            Thread.currentThread().interrupt();
        }
        for (RelayCheck check : checks) {
            check.timeUp(loop, Duration.ZERO);
        }
    }

    /** max(1 s, 4 x the slowest relay's round trip), at most 3 s. */
    static Duration releaseBudget(List<RelayCheck> checks) {
        Duration slowest = Duration.ZERO;
        for (RelayCheck check : checks) {
            Duration rtt = check.serverRtt().orElse(Duration.ZERO);
            slowest = rtt.compareTo(slowest) > 0 ? rtt : slowest;
        }
        Duration budget = slowest.multipliedBy(4);
        budget = budget.compareTo(MIN_RELEASE) < 0 ? MIN_RELEASE : budget;
        return budget.compareTo(MAX_RELEASE) > 0 ? MAX_RELEASE : budget;
    }

    private static void settled(Transaction transaction, List<RelayCheck> checks, TransactionLoop loop, long deadline) {
        for (RelayCheck check : checks) {
            if (check.owns(transaction)) {
                check.settled(transaction, loop, deadline);
                return;
            }
        }
    }

    private static void route(Ignored ignored, List<RelayCheck> checks, List<Ignored> stray) {
        for (RelayCheck check : checks) {
            if (check.owns(ignored.endpoint())) {
                check.ignored(ignored);
                return;
            }
        }
        stray.add(ignored);
    }

    /**
     * Resolves every relay's name, in parallel when there are names (literals need no lookup),
     * within the resolution share of the timeout; fills {@code addresses} and, for the ones that
     * failed, {@code unresolved} with why. Returns whether it was interrupted.
     */
    static boolean resolve(
            NameResolver resolver,
            List<TurnServer> servers,
            Optional<Family> family,
            Duration timeout,
            long start,
            List<Optional<InetSocketAddress>> addresses,
            List<String> unresolved) {
        List<Future<List<InetAddress>>> lookups = new ArrayList<>();
        ExecutorService executor = null;
        for (TurnServer server : servers) {
            Optional<InetAddress> literal = server.spec().literal();
            if (literal.isPresent()) {
                lookups.add(null);
            } else {
                if (executor == null) {
                    executor = Executors.newVirtualThreadPerTaskExecutor();
                }
                String host = server.spec().host();
                lookups.add(executor.submit(() -> resolver.resolve(host)));
            }
        }
        long resolveDeadline = start + (long) (timeout.toNanos() * RESOLVE_SHARE);
        boolean interrupted = false;
        try {
            for (int i = 0; i < servers.size(); i++) {
                TurnServer server = servers.get(i);
                List<InetAddress> found;
                String failure = "";
                if (lookups.get(i) == null) {
                    found = List.of(server.spec().literal().orElseThrow());
                } else if (interrupted) {
                    found = List.of();
                    failure = "not resolved: interrupted";
                } else {
                    try {
                        found = lookups.get(i)
                                .get(Math.max(0, resolveDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        interrupted = true;
                        found = List.of();
                        failure = "not resolved: interrupted";
                    } catch (TimeoutException e) {
                        found = List.of();
                        failure = "the name did not resolve within "
                                + Duration.ofNanos(resolveDeadline - start).toMillis() + " ms";
                    } catch (ExecutionException e) {
                        found = List.of();
                        failure = e.getCause() instanceof UnknownHostException
                                ? "the name does not resolve"
                                : "the name did not resolve: " + e.getCause();
                    }
                }
                Optional<InetAddress> chosen = choose(found, family);
                if (chosen.isEmpty() && failure.isEmpty()) {
                    failure = "no " + family.map(Family::wireName).orElse("IP") + " address for "
                            + server.spec().host();
                }
                addresses.add(
                        chosen.map(a -> new InetSocketAddress(a, server.spec().port())));
                unresolved.add(failure);
            }
        } finally {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
        return interrupted;
    }

    /** The address to use: of {@code family} when given, else IPv4 when there is one, else IPv6. */
    static Optional<InetAddress> choose(List<InetAddress> found, Optional<Family> family) {
        if (family.isPresent()) {
            return found.stream().filter(family.get()::contains).findFirst();
        }
        return found.stream()
                .filter(Family.IPV4::contains)
                .findFirst()
                .or(() -> found.stream().findFirst());
    }
}
