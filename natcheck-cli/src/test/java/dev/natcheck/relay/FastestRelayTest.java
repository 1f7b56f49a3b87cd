package dev.natcheck.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.natcheck.stun.Coturn;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Three relays at different distances (coturn behind delaying forwarders, 0, 15 and 30 ms each
 * way): the nearest is picked every time, whatever the order they are named in, the round trips
 * through them rank as their distances do, and every allocation is released.
 */
class FastestRelayTest {

    private static final int RUNS = 5;
    private static final String USER = "alice";
    private static final String PASSWORD = "wonder-land 7";

    @Test
    void theNearestRelayIsPickedEveryTime() throws Exception {
        assumeTrue(Coturn.installed(), "coturn's turnserver is not installed (apt-get install coturn)");
        try (Coturn coturn = Coturn.withUser(USER, PASSWORD);
                DelayingForwarder far = new DelayingForwarder(coturn.address(), Duration.ofMillis(30));
                DelayingForwarder middle = new DelayingForwarder(coturn.address(), Duration.ofMillis(15))) {
            List<String> relays = new ArrayList<>(List.of(far.address(), coturn.udp(), middle.address()));
            for (int run = 0; run < RUNS; run++) {
                java.util.Collections.rotate(relays, 1);

                RelayReport report = new RelaySurvey(host -> {
                            throw new UnknownHostException(host);
                        })
                        .run(
                                relays.stream().map(TurnServer::parse).toList(),
                                new RelaySurvey.Settings(
                                        Duration.ofSeconds(5),
                                        Optional.empty(),
                                        Optional.of(new TurnCredentials.LongTerm(USER, PASSWORD)),
                                        "test"));

                assertThat(report.outcomes()).as("run %d", run).allSatisfy(o -> {
                    assertThat(o.result()).as(o.detail()).isEqualTo(RelayResult.OK);
                    assertThat(o.release()).isEqualTo(Release.RELEASED);
                });
                assertThat(report.outcomes()
                                .get(report.fastest().orElseThrow())
                                .server()
                                .toString())
                        .as("run %d: %s", run, report.outcomes())
                        .isEqualTo(coturn.udp());
                RelayOutcome nearOutcome = outcome(report, coturn.udp());
                RelayOutcome farOutcome = outcome(report, far.address());
                RelayOutcome middleOutcome = outcome(report, middle.address());
                // The order, not a figure in milliseconds: the forwarders add 30 ms a round trip
                // between neighbours, far more than the clock's and the scheduler's slack.
                assertThat(middleOutcome.bestRtt().orElseThrow())
                        .as("%s against %s", middleOutcome, nearOutcome)
                        .isGreaterThan(nearOutcome.bestRtt().orElseThrow());
                assertThat(farOutcome.bestRtt().orElseThrow())
                        .as("%s against %s", farOutcome, middleOutcome)
                        .isGreaterThan(middleOutcome.bestRtt().orElseThrow());
                assertThat(farOutcome.allocation().orElseThrow())
                        .as("%s against %s", farOutcome, nearOutcome)
                        .isGreaterThan(nearOutcome.allocation().orElseThrow());
            }
            assertThat(coturn.successes("REFRESH")).isGreaterThanOrEqualTo(3 * RUNS);
            assertThat(coturn.refusals()).as(coturn.log()).isEmpty();
        }
    }

    private static RelayOutcome outcome(RelayReport report, String relay) {
        return report.outcomes().stream()
                .filter(o -> o.server().toString().equals(relay))
                .findFirst()
                .orElseThrow();
    }
}
