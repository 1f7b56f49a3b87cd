package dev.natcheck.behavior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.natcheck.probe.Deadline;
import dev.natcheck.transaction.Pacer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The discovery against coturn's {@code turnserver --stun-only} on loopback, where nothing
 * translates or filters: the RFC 5780 answers must be endpoint-independent everything, hairpin,
 * no ALG, RFC 3489 "open".
 */
class BehaviorDiscoveryCoturnTest {

    private static CoturnServer coturn;

    @BeforeAll
    static void startCoturn() throws Exception {
        assumeTrue(CoturnServer.installed(), "coturn's turnserver is not installed (apt-get install coturn)");
        coturn = CoturnServer.start();
    }

    @AfterAll
    static void stopCoturn() throws Exception {
        if (coturn != null) {
            coturn.close();
        }
    }

    @Test
    void loopbackIsOpenWithEveryBehaviourEndpointIndependent() throws Exception {
        BehaviorReport report = new BehaviorDiscovery(new Pacer())
                .discover(CoturnServer.PRIMARY, List.of(coturn.primary()), Deadline.after(Duration.ofSeconds(5)));

        assertThat(report.otherAddress()).as(report::toString).contains(coturn.alternate());
        OpenLoopback.assertFound(report);
    }
}
