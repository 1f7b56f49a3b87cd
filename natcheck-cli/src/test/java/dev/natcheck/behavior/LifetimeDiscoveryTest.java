package dev.natcheck.behavior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.natcheck.probe.Deadline;
import dev.natcheck.stunserver.StunServer;
import dev.natcheck.stunserver.StunServerConfig;
import dev.natcheck.transaction.Pacer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 5780 section 4.6 on loopback, where no binding ever expires: every idle time tested must
 * find the binding open, against both servers (both implement RESPONSE-PORT).
 */
class LifetimeDiscoveryTest {

    private static final Duration LIMIT = Duration.ofSeconds(2);

    @Test
    void idleTimesAreTheStandardOnesUpToTheLimitAndTheLimit() {
        assertThat(LifetimeDiscovery.idleTimes(Duration.ofSeconds(25)))
                .containsExactly(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(15),
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(25));
        assertThat(LifetimeDiscovery.idleTimes(Duration.ofMillis(500))).containsExactly(Duration.ofMillis(500));
    }

    @Test
    void aLoopbackBindingOutlivesEveryIdleTimeAgainstOurServer() throws Exception {
        try (StunServer server =
                StunServer.start(StunServerConfig.loopbackEphemeral(InetAddress.getByName("127.0.0.2")))) {
            assertOpenThroughout(server.boundAddresses().getFirst());
        }
    }

    @Test
    void aLoopbackBindingOutlivesEveryIdleTimeAgainstCoturn() throws Exception {
        assumeTrue(CoturnServer.installed(), "coturn's turnserver is not installed (apt-get install coturn)");
        try (CoturnServer coturn = CoturnServer.start()) {
            assertOpenThroughout(coturn.primary());
        }
    }

    private static void assertOpenThroughout(InetSocketAddress server) throws Exception {
        InetAddress local = InetAddress.getByName("127.0.0.1");
        BehaviorDiscovery discovery = new BehaviorDiscovery(new Pacer());
        BehaviorReport report = discovery.discover(local, List.of(server), Deadline.after(Duration.ofSeconds(5)));

        BehaviorReport withLifetime = new LifetimeDiscovery(discovery.pacer()).measure(local, report, LIMIT);

        assertThat(withLifetime.lifetime()).as(withLifetime::toString).hasValueSatisfying(lifetime -> {
            assertThat(lifetime.aliveAfter()).contains(LIMIT);
            assertThat(lifetime.goneAfter()).isEmpty();
            assertThat(lifetime.longestTested()).isEqualTo(LIMIT);
        });
        assertThat(withLifetime.evidence()).last().asString().contains("still open after 2 s idle, the longest tested");
        assertThat(withLifetime.mapping()).isEqualTo(report.mapping());
        assertThat(withLifetime.notes())
                .anyMatch(n -> n.contains("arrived on the idle socket: still open"))
                .noneMatch(n -> n.contains("refused RESPONSE-PORT"));
    }
}
