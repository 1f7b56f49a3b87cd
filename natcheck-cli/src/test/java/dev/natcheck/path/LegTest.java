package dev.natcheck.path;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.path.TtlAnswers.Answer;
import dev.natcheck.path.TtlAnswers.Kind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which TTLs a leg sends when: waves, retransmissions, and stopping once the answer is known. */
class LegTest {

    private static final long INTERVAL = 75;
    private static final int ATTEMPTS = 3;
    private static final InetAddress SERVER = InetAddress.ofLiteral("203.0.113.10");
    private static final InetAddress MAPPED = InetAddress.ofLiteral("198.51.100.2");

    private static Leg route() {
        return new Leg(Leg.Goal.ROUTE, SERVER, 33434, 6, 3, 10);
    }

    private static Leg owner() {
        return new Leg(Leg.Goal.OWNER, MAPPED, 33534, 3, 3, 6);
    }

    private static void sendAll(Leg leg, List<Integer> ttls, long now) {
        ttls.forEach(ttl -> leg.sent(ttl, now));
    }

    private static void timeExceeded(Leg leg, int ttl, String from) {
        leg.answers().record(ttl, new Answer(Kind.TIME_EXCEEDED, InetAddress.ofLiteral(from)));
    }

    @Test
    void theFirstWaveGoesAtOnceAndIsResentAfterTheInterval() {
        Leg leg = route();
        assertThat(leg.due(0, INTERVAL, ATTEMPTS)).containsExactly(1, 2, 3, 4, 5, 6);
        sendAll(leg, leg.due(0, INTERVAL, ATTEMPTS), 0);

        assertThat(leg.due(74, INTERVAL, ATTEMPTS)).isEmpty();
        assertThat(leg.nextDue(INTERVAL, ATTEMPTS)).isEqualTo(75);
        assertThat(leg.due(75, INTERVAL, ATTEMPTS)).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(leg.probesSent()).isEqualTo(6);
    }

    @Test
    void eachTtlIsSentAtMostThreeTimes() {
        Leg leg = route();
        for (long t = 0; t <= 4 * INTERVAL; t += INTERVAL) {
            sendAll(leg, leg.due(t, INTERVAL, ATTEMPTS), t);
        }
        assertThat(leg.probesSent()).isEqualTo(6 * ATTEMPTS);
        assertThat(leg.due(10 * INTERVAL, INTERVAL, ATTEMPTS)).isEmpty();
        assertThat(leg.nextDue(INTERVAL, ATTEMPTS)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void onceThePublicHopAnsweredOnlyTheSilentOnesBelowItAreResent() {
        Leg leg = route();
        sendAll(leg, leg.due(0, INTERVAL, ATTEMPTS), 0);
        timeExceeded(leg, 3, "198.51.100.1");
        timeExceeded(leg, 1, "192.168.1.1");

        assertThat(leg.settled()).isFalse();
        assertThat(leg.due(INTERVAL, INTERVAL, ATTEMPTS)).containsExactly(2);

        timeExceeded(leg, 2, "100.64.1.1");
        assertThat(leg.settled()).isTrue();
        assertThat(leg.due(2 * INTERVAL, INTERVAL, ATTEMPTS)).isEmpty();
        assertThat(leg.nextDue(INTERVAL, ATTEMPTS)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theNextWaveOpensWhenEveryOpenTtlAnsweredWithoutAPublicHop() {
        Leg leg = route();
        sendAll(leg, leg.due(0, INTERVAL, ATTEMPTS), 0);
        for (int ttl = 1; ttl <= 5; ttl++) {
            timeExceeded(leg, ttl, "10.0.0." + ttl);
        }
        assertThat(leg.due(1, INTERVAL, ATTEMPTS)).as("TTL 6 still outstanding").isEmpty();

        timeExceeded(leg, 6, "10.0.0.6");
        assertThat(leg.nextDue(INTERVAL, ATTEMPTS)).isEqualTo(Long.MIN_VALUE);
        assertThat(leg.due(2, INTERVAL, ATTEMPTS)).containsExactly(7, 8, 9);
        sendAll(leg, List.of(7, 8, 9), 2);
        for (int ttl = 7; ttl <= 9; ttl++) {
            timeExceeded(leg, ttl, "10.0.0." + ttl);
        }
        assertThat(leg.due(3, INTERVAL, ATTEMPTS))
                .as("the last wave stops at the most TTLs")
                .containsExactly(10);
    }

    @Test
    void towardTheMappedAddressASilentHopBelowTheOwnerIsResent() {
        Leg leg = owner();
        assertThat(leg.due(0, INTERVAL, ATTEMPTS)).containsExactly(1, 2, 3);
        sendAll(leg, List.of(1, 2, 3), 0);
        timeExceeded(leg, 1, "192.168.1.1");
        leg.answers().record(3, new Answer(Kind.DESTINATION, MAPPED));

        assertThat(leg.settled()).isFalse();
        assertThat(leg.due(INTERVAL, INTERVAL, ATTEMPTS)).containsExactly(2);

        leg.answers().record(2, new Answer(Kind.DESTINATION, MAPPED));
        assertThat(leg.settled()).isTrue();
        assertThat(OutermostNat.read(leg.answers()).distance()).hasValue(2);
    }

    @Test
    void aProbesTtlIsToldByItsDestinationPort() {
        Leg leg = owner();
        assertThat(leg.target(2)).isEqualTo(new InetSocketAddress(MAPPED, 33536));
        assertThat(leg.ttlOf(new InetSocketAddress(MAPPED, 33536))).isEqualTo(2);
        assertThat(leg.ttlOf(new InetSocketAddress(MAPPED, 33534)))
                .as("port base itself")
                .isZero();
        assertThat(leg.ttlOf(new InetSocketAddress(MAPPED, 33541)))
                .as("beyond the most TTLs")
                .isZero();
        assertThat(leg.ttlOf(new InetSocketAddress(SERVER, 33536)))
                .as("another destination")
                .isZero();
    }

    @Test
    void aFailedLegSendsNothingMore() {
        Leg leg = route();
        leg.fail("Network is unreachable");
        assertThat(leg.due(0, INTERVAL, ATTEMPTS)).isEmpty();
        assertThat(leg.nextDue(INTERVAL, ATTEMPTS)).isEqualTo(Long.MAX_VALUE);
        assertThat(leg.failure()).contains("Network is unreachable");
    }
}
