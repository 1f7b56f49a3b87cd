package dev.natcheck.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.natcheck.probe.Family;
import dev.natcheck.stun.Coturn;
import dev.natcheck.transaction.Request;
import dev.natcheck.transaction.Schedule;
import dev.natcheck.transaction.Transaction;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The relays a punch side holds, against coturn on loopback: a working relay is kept (its relayed
 * address carries the caller's own transactions), a failing one is not and leaves nothing
 * allocated, the fastest comes first, and release frees every kept allocation.
 */
class RelayPoolCoturnTest {

    @Test
    void workingRelaysAreKeptFastestFirstCarryTrafficAndAreReleased() throws Exception {
        assumeTrue(Coturn.installed(), "coturn's turnserver is not installed (apt-get install coturn)");
        try (Coturn coturn = Coturn.withUser("alice", "pw");
                DelayingForwarder far = new DelayingForwarder(coturn.address(), Duration.ofMillis(20));
                var loop = new dev.natcheck.transaction.TransactionLoop(i -> {})) {
            List<TurnServer> servers = List.of(
                    TurnServer.parse(far.address()),
                    TurnServer.parse(coturn.udp()),
                    TurnServer.parse(Coturn.LOOPBACK.getHostAddress() + ":9"));

            RelayPool pool = RelayPool.gather(
                    loop,
                    servers,
                    Optional.of(new TurnCredentials.LongTerm("alice", "pw")),
                    host -> {
                        throw new UnknownHostException(host);
                    },
                    Family.IPV4,
                    Duration.ofSeconds(3));

            assertThat(pool.held()).extracting(h -> h.server().toString()).containsExactly(coturn.udp(), far.address());
            assertThat(pool.outcomes())
                    .extracting(RelayOutcome::result)
                    .containsExactly(RelayResult.OK, RelayResult.OK, RelayResult.REFUSED);

            // The caller's own traffic through a kept relay: a Binding request to itself comes back.
            RelayPool.Held fastest = pool.held().getFirst();
            Transaction echo = new Transaction(
                    "caller's echo",
                    fastest.endpoint(),
                    fastest.relayedAddress(),
                    Request.binding(),
                    Schedule.control().within(Duration.ofSeconds(2)),
                    Transaction.Accept.OWN_REQUEST);
            loop.submit(echo);
            List<Transaction> settled = new ArrayList<>();
            loop.run(System.nanoTime() + Duration.ofSeconds(3).toNanos(), settled::add);
            assertThat(echo.answer()).isPresent();
            assertThat(coturn.successes("REFRESH")).isZero();

            pool.release(loop, Duration.ofSeconds(2));

            assertThat(coturn.successes("REFRESH")).isGreaterThanOrEqualTo(2);
            assertThat(pool.outcomes())
                    .extracting(RelayOutcome::release)
                    .containsExactly(Release.RELEASED, Release.RELEASED, Release.NOTHING_ALLOCATED);
            assertThat(coturn.refusals()).as(coturn.log()).isEmpty();
        }
    }
}
