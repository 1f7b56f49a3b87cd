package dev.natcheck.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.natcheck.stun.Coturn;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An interruption (what Ctrl-C becomes) in the middle of a check: the survey stops where it
 * stands, still releases the allocation it holds, and says it was interrupted. The relay is
 * 2 x 150 ms away behind a delaying forwarder, so there is time to interrupt after the
 * allocation and before the echoes are back.
 */
class InterruptedRelayTest {

    @Test
    void interruptedWhileCheckingThePathItReleasesTheAllocationItHolds() throws Exception {
        // coturn logs the ChannelBind, which natcheck sends only once the allocation is its own.
        RelayReport report = interruptAfter("CHANNEL_BIND");

        RelayOutcome outcome = report.outcomes().getFirst();
        assertThat(outcome.relayed()).as(outcome.toString()).isPresent();
        assertThat(outcome.release()).as(outcome.toString()).isEqualTo(Release.RELEASED);
    }

    @Test
    void interruptedWhileTheAllocateSuccessIsOnItsWayItStillReleases() throws Exception {
        // The grant is logged 150 ms before it reaches natcheck: interrupted in between (or just
        // after), natcheck releases what the relay may have granted.
        RelayReport report = interruptAfter("ALLOCATE");

        RelayOutcome outcome = report.outcomes().getFirst();
        assertThat(outcome.release()).as(outcome.toString()).isEqualTo(Release.RELEASED);
    }

    /** Runs a survey against coturn 2 x 150 ms away, interrupts it once coturn logged {@code method}'s success. */
    private static RelayReport interruptAfter(String method) throws Exception {
        assumeTrue(Coturn.installed(), "coturn's turnserver is not installed (apt-get install coturn)");
        try (Coturn coturn = Coturn.withUser("alice", "pw");
                DelayingForwarder far = new DelayingForwarder(coturn.address(), Duration.ofMillis(150))) {
            RelaySurvey survey = new RelaySurvey(host -> {
                throw new UnknownHostException(host);
            });
            CompletableFuture<Thread> runner = new CompletableFuture<>();
            CompletableFuture<RelayReport> report = CompletableFuture.supplyAsync(() -> {
                runner.complete(Thread.currentThread());
                try {
                    return survey.run(
                            List.of(TurnServer.parse(far.address())),
                            new RelaySurvey.Settings(
                                    Duration.ofSeconds(10),
                                    Optional.empty(),
                                    Optional.of(new TurnCredentials.LongTerm("alice", "pw")),
                                    "test"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 0; i < 250 && coturn.successes(method) == 0; i++) {
                Thread.sleep(20);
            }
            assertThat(coturn.successes(method)).as(coturn.log()).isPositive();
            runner.get(5, TimeUnit.SECONDS).interrupt();

            RelayReport done = report.get(10, TimeUnit.SECONDS);

            assertThat(done.interrupted()).isTrue();
            assertThat(coturn.successes("REFRESH")).as(coturn.log()).isPositive();
            assertThat(coturn.log()).contains("lifetime=0");
            return done;
        }
    }
}
