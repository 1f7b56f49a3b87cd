package dev.natcheck.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Three relays at different distances (coturn behind delaying forwarders, 0, 15 and 30 ms each
 * way): the nearest is picked every time, whatever the order they are named in, every round trip
 * through a relay is at least twice its added delay, and every allocation is released.
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
                RelayOutcome farOutcome = outcome(report, far.address());
                RelayOutcome middleOutcome = outcome(report, middle.address());
                assertThat(farOutcome.bestRtt())
                        .as("%s", farOutcome)
                        .hasValueSatisfying(rtt -> assertThat(rtt).isGreaterThanOrEqualTo(Duration.ofMillis(60)));
                assertThat(middleOutcome.bestRtt())
                        .as("%s", middleOutcome)
                        .hasValueSatisfying(rtt -> assertThat(rtt).isGreaterThanOrEqualTo(Duration.ofMillis(30)));
                assertThat(farOutcome.allocation().orElseThrow()).isGreaterThanOrEqualTo(Duration.ofMillis(120));
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
