package dev.natcheck.relay;

import dev.natcheck.probe.Family;
import dev.natcheck.probe.NameResolver;
import dev.natcheck.transaction.Endpoint;
import dev.natcheck.transaction.Ignored;
import dev.natcheck.transaction.LongTermLogin;
import dev.natcheck.transaction.Transaction;
import dev.natcheck.transaction.TransactionLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The TURN relays one side of {@code natcheck punch} holds: each checked as {@code natcheck relay}
 * checks it (allocated, echoes through it), on the caller's loop, and every working allocation
 * kept ({@link RelayState#HOLDING}) so that its relayed address can be a candidate and carry
 * checks; {@link #release} frees them all, on every way out. Owned by the loop's thread.
 */
public final class RelayPool {

    /** An allocation kept for the caller, and the round trip through it. */
    public record Held(TurnServer server, Allocation allocation, Optional<Duration> rtt) {

        /** The relayed address as an endpoint of the loop. */
        public Endpoint endpoint() {
            return allocation.relayed().orElseThrow();
        }

        /** The relayed address the relay granted. */
        public InetSocketAddress relayedAddress() {
            return allocation.relayedAddress().orElseThrow();
        }
    }

    private final List<TurnServer> servers;
    private final List<RelayCheck> checks;
    private final List<Optional<InetSocketAddress>> addresses;
    private final List<String> unresolved;

    private RelayPool(
            List<TurnServer> servers,
            List<RelayCheck> checks,
            List<Optional<InetSocketAddress>> addresses,
            List<String> unresolved) {
        this.servers = servers;
        this.checks = checks;
        this.addresses = addresses;
        this.unresolved = unresolved;
    }

    /** A pool of no relay. */
    public static RelayPool none() {
        return new RelayPool(List.of(), List.of(), List.of(), List.of());
    }

    /**
     * Allocates on every relay of {@code servers} at once over {@code family}, on {@code loop},
     * within {@code budget} (name resolution included), and keeps the allocations that work.
     * Datagrams the engine sets aside on the relays' endpoints should go to {@link #ignored}
     * meanwhile.
     */
    public static RelayPool gather(
            TransactionLoop loop,
            List<TurnServer> servers,
            Optional<TurnCredentials> credentials,
            NameResolver resolver,
            Family family,
            Duration budget)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        List<Optional<InetSocketAddress>> addresses = new ArrayList<>();
        List<String> unresolved = new ArrayList<>();
        if (RelaySurvey.resolve(resolver, servers, Optional.of(family), budget, start, addresses, unresolved)) {
            throw new InterruptedException();
        }
        Optional<LongTermLogin> login = credentials.map(c -> c.login(Instant.now()));
        Allocation.prepare();
        List<RelayCheck> checks = new ArrayList<>();
        RelayPool pool = new RelayPool(List.copyOf(servers), checks, addresses, unresolved);
        for (int i = 0; i < servers.size(); i++) {
            if (addresses.get(i).isPresent()) {
                RelayCheck check =
                        new RelayCheck(servers.get(i), addresses.get(i).get(), login, start, true);
                checks.add(check);
                check.start(loop, deadline);
            }
        }
        loop.run(deadline, transaction -> pool.settled(transaction, loop, deadline));
        for (RelayCheck check : checks) {
            if (check.state() != RelayState.HOLDING) {
                check.timeUp(loop, RelaySurvey.releaseBudget(checks)); // releases what did not work out
            }
        }
        loop.run(System.nanoTime() + RelaySurvey.releaseBudget(checks).toNanos(), t -> pool.settled(t, loop, deadline));
        return pool;
    }

    /** Hands a settled transaction to the check it belongs to; false when it is none of theirs. */
    public boolean settled(Transaction transaction, TransactionLoop loop, long deadlineNanos) {
        for (RelayCheck check : checks) {
            if (check.owns(transaction)) {
                check.settled(transaction, loop, deadlineNanos);
                return true;
            }
        }
        return false;
    }

    /** A datagram the engine set aside: evidence of the relay whose endpoint it arrived on; false if none. */
    public boolean ignored(Ignored ignored) {
        for (RelayCheck check : checks) {
            if (check.owns(ignored.endpoint())) {
                check.ignored(ignored);
                return true;
            }
        }
        return false;
    }

    /** The working allocations kept, the fastest (shortest round trip through it) first. */
    public List<Held> held() {
        List<Held> held = new ArrayList<>();
        for (RelayCheck check : checks) {
            if (check.state() == RelayState.HOLDING) {
                held.add(new Held(
                        check.server(),
                        check.allocation().orElseThrow(),
                        check.outcome().bestRtt()));
            }
        }
        Duration unknown = Duration.ofSeconds(Long.MAX_VALUE);
        held.sort(Comparator.comparing(h -> h.rtt().orElse(unknown)));
        return held;
    }

    /** Every relay's outcome, in the order named; a kept allocation counts as unreleased until {@link #release}. */
    public List<RelayOutcome> outcomes() {
        return RelaySurvey.outcomes(servers, addresses, unresolved, checks);
    }

    /**
     * Releases every kept allocation (Refresh with lifetime 0) and waits for the answers at most
     * {@code budget}; what stays unanswered the relays free when the lifetime ends.
     */
    public void release(TransactionLoop loop, Duration budget) throws IOException {
        if (checks.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + budget.toNanos();
        for (RelayCheck check : checks) {
            if (check.state() == RelayState.HOLDING) {
                check.releaseHeld(loop, budget);
            } else if (check.state() != RelayState.RELEASING) {
                check.timeUp(loop, budget); // cut short while allocating or checking: release what it may hold
            }
        }
        try {
            loop.run(deadline, transaction -> settled(transaction, loop, deadline));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // a second signal: give up waiting, the lifetime frees them
        }
        for (RelayCheck check : checks) {
            check.timeUp(loop, Duration.ZERO);
        }
    }
}
