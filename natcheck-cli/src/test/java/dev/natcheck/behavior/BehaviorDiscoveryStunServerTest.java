package dev.natcheck.behavior;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.probe.Deadline;
import dev.natcheck.stunserver.StunServer;
import dev.natcheck.stunserver.StunServerConfig;
import dev.natcheck.transaction.Pacer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The discovery against natcheck's own stun-server, embedded, on 127.0.0.1 with the alternate
 * 127.0.0.2: the same findings as against coturn ({@link BehaviorDiscoveryCoturnTest}), and the
 * server's no-amplification rule leaves every answer room because the requests are padded.
 */
class BehaviorDiscoveryStunServerTest {

    private static StunServer server;

    @BeforeAll
    static void start() throws Exception {
        server = StunServer.start(StunServerConfig.loopbackEphemeral(InetAddress.getByName("127.0.0.2")));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void loopbackIsOpenWithEveryBehaviourEndpointIndependent() throws Exception {
        InetSocketAddress primary = server.boundAddresses().getFirst();

        BehaviorReport report = new BehaviorDiscovery(new Pacer())
                .discover(InetAddress.getByName("127.0.0.1"), List.of(primary), Deadline.after(Duration.ofSeconds(5)));

        assertThat(report.server()).contains(primary);
        assertThat(report.otherAddress()).as(report::toString).hasValueSatisfying(other -> {
            assertThat(other.getAddress().getHostAddress()).isEqualTo("127.0.0.2");
            assertThat(other.getPort()).isNotEqualTo(primary.getPort());
        });
        OpenLoopback.assertFound(report);
    }
}
