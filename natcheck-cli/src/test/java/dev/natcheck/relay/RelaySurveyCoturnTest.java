package dev.natcheck.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.natcheck.probe.NameResolver;
import dev.natcheck.stun.Coturn;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The relay check against coturn on loopback: both credential kinds, UDP and TCP, each failure kind. */
class RelaySurveyCoturnTest {

    private static final String USER = "alice";
    private static final String PASSWORD = "wonder-land 7";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final NameResolver NO_DNS = host -> {
        throw new java.net.UnknownHostException(host + " (no DNS in tests)");
    };

    @BeforeAll
    static void coturn() {
        assumeTrue(Coturn.installed(), "coturn's turnserver is not installed (apt-get install coturn)");
    }

    @Test
    void longTermCredentialsOverUdpAllocateEchoAndRelease() throws Exception {
        try (Coturn coturn = Coturn.withUser(USER, PASSWORD)) {
            RelayReport report = survey(List.of(coturn.udp()), new TurnCredentials.LongTerm(USER, PASSWORD));

            RelayOutcome o = report.outcomes().getFirst();
            assertThat(o.result()).as(o.detail() + " " + o.evidence()).isEqualTo(RelayResult.OK);
            assertThat(o.echoesBack()).isEqualTo(RelayCheck.ECHOES);
            assertThat(o.relayed())
                    .hasValueSatisfying(r -> assertThat(r.getAddress()).isEqualTo(Coturn.LOOPBACK));
            assertThat(o.mapped()).isEqualTo(o.local());
            assertThat(o.release()).isEqualTo(Release.RELEASED);
            assertThat(o.channelBound()).isTrue();
            assertThat(report.fastest()).hasValue(0);
            assertThat(report.exitCode()).isZero();
            // Wire check: coturn refused nothing natcheck sent but the first, unauthenticated Allocate
            // (401, as it must), and natcheck set aside nothing coturn sent.
            assertThat(coturn.errorCodes()).as(coturn.log()).startsWith(401);
            assertThat(coturn.refusals()).as(coturn.log()).isEmpty();
            assertThat(coturn.log()).doesNotContain("ERROR:");
            assertThat(o.evidence())
                    .singleElement()
                    .asString()
                    .endsWith("asked for credentials (401, realm \"natcheck.test\"), asked again with them");
            for (String method : List.of("ALLOCATE", "CHANNEL_BIND", "REFRESH")) {
                assertThat(coturn.successes(method)).as(method).isPositive();
            }
        }
    }

    @Test
    void restCredentialsFromASharedSecretWork() throws Exception {
        String secret = "natcheck shared secret";
        try (Coturn coturn = Coturn.withSharedSecret(secret)) {
            RelayReport report = survey(List.of(coturn.udp()), new TurnCredentials.SharedSecret(secret, "bob"));

            RelayOutcome o = report.outcomes().getFirst();
            assertThat(o.result()).as(o.detail() + " " + o.evidence()).isEqualTo(RelayResult.OK);
            assertThat(o.release()).isEqualTo(Release.RELEASED);
            assertThat(report.credentials()).isEqualTo("shared secret (TURN REST API), user bob");
            assertThat(coturn.refusals()).as(coturn.log()).isEmpty();
            assertThat(coturn.log()).containsPattern("user <\\d+:bob>: incoming packet ALLOCATE processed, success");
        }
    }

    @Test
    void overTcpTheAllocationIsStillUdpAndWorks() throws Exception {
        try (Coturn coturn = Coturn.withUser(USER, PASSWORD)) {
            RelayReport report = survey(List.of(coturn.tcp()), new TurnCredentials.LongTerm(USER, PASSWORD));

            RelayOutcome o = report.outcomes().getFirst();
            assertThat(o.result()).as(o.detail() + " " + o.evidence()).isEqualTo(RelayResult.OK);
            assertThat(o.server().transport()).isEqualTo(TurnServer.Transport.TCP);
            assertThat(o.echoesBack()).as("one echo a wave over TCP").isEqualTo(1);
            assertThat(o.release()).isEqualTo(Release.RELEASED);
            assertThat(coturn.refusals()).as(coturn.log()).isEmpty();
            assertThat(coturn.log()).contains("TCP");
        }
    }

    @Test
    void aWrongPasswordIsAuthFailedNamingTheUserAndRealmAndNothingIsLeftAllocated() throws Exception {
        try (Coturn coturn = Coturn.withUser(USER, PASSWORD)) {
            RelayReport report = survey(List.of(coturn.udp()), new TurnCredentials.LongTerm(USER, "guess"));

            RelayOutcome o = report.outcomes().getFirst();
            assertThat(o.result()).isEqualTo(RelayResult.AUTH_FAILED);
            assertThat(o.detail())
                    .isEqualTo("wrong credentials: the relay refused user alice in realm \"natcheck.test\" (401"
                            + " Unauthorized)");
            assertThat(o.release()).isEqualTo(Release.NOTHING_ALLOCATED);
            assertThat(report.exitCode()).isEqualTo(1);
            assertThat(coturn.successes("ALLOCATE")).isZero();
            assertThat(coturn.errorCodes()).containsOnly(401);
        }
    }

    @Test
    void withoutCredentialsTheReportSaysWhichFlagsToGive() throws Exception {
        try (Coturn coturn = Coturn.withUser(USER, PASSWORD)) {
            RelayReport report = survey(List.of(coturn.udp()), null);

            RelayOutcome o = report.outcomes().getFirst();
            assertThat(o.result()).isEqualTo(RelayResult.AUTH_FAILED);
            assertThat(o.detail())
                    .isEqualTo("the relay wants credentials in realm \"natcheck.test\": give --turn-user with"
                            + " --turn-password, or --turn-secret (401 Unauthorized)");
            assertThat(report.credentials()).isEqualTo("none");
        }
    }

    @Test
    void aClosedPortIsRefusedAtOnceOverUdpAndOverTcp() throws Exception {
        int closed;
        try (java.net.DatagramSocket udp = new java.net.DatagramSocket(0, Coturn.LOOPBACK);
                java.net.ServerSocket tcp = new java.net.ServerSocket(0, 1, Coturn.LOOPBACK)) {
            closed = udp.getLocalPort();
        }
        String host = Coturn.LOOPBACK.getHostAddress() + ":" + closed;

        RelayReport report =
                survey(List.of(host, "turn:" + host + "?transport=tcp"), new TurnCredentials.LongTerm(USER, PASSWORD));

        assertThat(report.outcomes())
                .extracting(RelayOutcome::result)
                .containsExactly(RelayResult.REFUSED, RelayResult.REFUSED);
        assertThat(report.outcomes().get(0).detail()).isEqualTo("ICMP port unreachable from " + host);
        assertThat(report.outcomes().get(1).detail()).startsWith("TCP connection to " + host + " failed: ");
        assertThat(report.exitCode()).isEqualTo(1);
    }

    private static RelayReport survey(List<String> relays, TurnCredentials credentials) throws Exception {
        RelaySurvey survey = new RelaySurvey(NO_DNS);
        return survey.run(
                relays.stream().map(TurnServer::parse).toList(),
                new RelaySurvey.Settings(TIMEOUT, Optional.empty(), Optional.ofNullable(credentials), "test"));
    }
}
