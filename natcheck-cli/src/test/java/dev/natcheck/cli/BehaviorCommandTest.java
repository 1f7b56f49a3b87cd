package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natcheck.address.AddressText;
import dev.natcheck.behavior.CoturnServer;
import dev.natcheck.stunserver.StunServer;
import dev.natcheck.stunserver.StunServerConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code natcheck --behavior} end to end on loopback, against natcheck's own stun-server and
 * against coturn: both must give the same findings, which on loopback are "no NAT, nothing
 * filtered, hairpin works, no ALG, RFC 3489 open".
 */
class BehaviorCommandTest {

    private static final List<String> FIELDS = List.of("mapping", "filtering", "hairpin", "alg", "rfc3489_type");

    private static JsonNode behaviorJson(InetSocketAddress server) throws Exception {
        Run run = Run.of(
                UsageErrorsTest.OFFLINE,
                "-i",
                "lo",
                "-4",
                "-s",
                AddressText.format(server),
                "--behavior",
                "-o",
                "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        return new ObjectMapper().readTree(run.out()).get("probes").get(0);
    }

    @Test
    void ourServerAndCoturnGiveTheSameFindings() throws Exception {
        assumeTrue(CoturnServer.installed(), "coturn's turnserver is not installed (apt-get install coturn)");
        JsonNode ours;
        try (StunServer server =
                StunServer.start(StunServerConfig.loopbackEphemeral(InetAddress.getByName("127.0.0.2")))) {
            ours = behaviorJson(server.boundAddresses().getFirst());
        }
        JsonNode theirs;
        try (CoturnServer coturn = CoturnServer.start()) {
            theirs = behaviorJson(coturn.primary());
        }

        assertThat(ours.get("mapping").asText()).isEqualTo("endpoint-independent");
        assertThat(ours.get("filtering").asText()).isEqualTo("endpoint-independent");
        assertThat(ours.get("hairpin").booleanValue()).isTrue();
        assertThat(ours.get("alg").booleanValue()).isFalse();
        assertThat(ours.get("rfc3489_type").asText()).isEqualTo("open");
        for (String field : FIELDS) {
            assertThat(theirs.get(field)).as(field + " from coturn").isEqualTo(ours.get(field));
        }
    }

    @Test
    void aServerWithoutOtherAddressSaysNotSupportedByServer() throws Exception {
        try (StunServer server = StunServer.start(StunServerConfig.loopbackEphemeral())) {
            String address = AddressText.format(server.boundAddresses().getFirst());

            Run text = Run.of(UsageErrorsTest.OFFLINE, "-i", "lo", "-4", "-s", address, "--behavior");
            Run brief = Run.of(UsageErrorsTest.OFFLINE, "-i", "lo", "-4", "-s", address, "--behavior", "-o", "brief");

            assertThat(text.exitCode()).as(text.err()).isZero();
            // No NAT on loopback settles the mapping without OTHER-ADDRESS; filtering needs it.
            assertThat(text.out())
                    .contains(
                            "    mapping    endpoint-independent",
                            "    filtering  not supported by server",
                            "    RFC 3489   not supported by server",
                            "    hairpin    yes");
            // Without RFC 5780 the server sends no MAPPED-ADDRESS either, so there is nothing to spot an ALG by.
            assertThat(brief.out())
                    .matches("lo\tipv4\tNO_NAT\t127\\.0\\.0\\.1:\\d+\tendpoint-independent"
                            + "\tnot-supported-by-server\tyes\tnot-supported-by-server\tnot-supported-by-server\t0\n");
        }
    }

    @Test
    void localModeRunsTheBehaviourTestsAgainstItsOwnServer() throws Exception {
        Run run = Run.of(UsageErrorsTest.OFFLINE, "--local", "-4", "--behavior", "-o", "brief");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).endsWith("\tendpoint-independent\tendpoint-independent\tyes\tno\topen\t0\n");
    }

    @Test
    void lifetimeImpliesBehaviorAndReportsTheLongestIdleTimeSurvived() throws Exception {
        try (StunServer server =
                StunServer.start(StunServerConfig.loopbackEphemeral(InetAddress.getByName("127.0.0.2")))) {
            Run run = Run.of(
                    UsageErrorsTest.OFFLINE,
                    "-i",
                    "lo",
                    "-4",
                    "-s",
                    AddressText.format(server.boundAddresses().getFirst()),
                    "--lifetime",
                    "1s",
                    "-o",
                    "json");

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode probe =
                    new ObjectMapper().readTree(run.out()).get("probes").get(0);
            assertThat(probe.get("binding_lifetime_s").asDouble()).isEqualTo(1.0);
            assertThat(probe.get("rfc3489_type").asText()).isEqualTo("open");
            assertThat(probe.get("evidence").toString()).contains("still open after 1 s idle, the longest tested");
        }
    }

    @Test
    void withoutBehaviorTheFindingsAreNull() throws Exception {
        try (StunServer server =
                StunServer.start(StunServerConfig.loopbackEphemeral(InetAddress.getByName("127.0.0.2")))) {
            Run run = Run.of(
                    UsageErrorsTest.OFFLINE,
                    "-i",
                    "lo",
                    "-4",
                    "-s",
                    AddressText.format(server.boundAddresses().getFirst()),
                    "-o",
                    "json");

            JsonNode probe =
                    new ObjectMapper().readTree(run.out()).get("probes").get(0);
            for (String field : FIELDS) {
                assertThat(probe.get(field).isNull()).as(field).isTrue();
            }
        }
    }

    @Test
    void aZeroLifetimeIsAUsageError() {
        Run run = Run.of(UsageErrorsTest.OFFLINE, "-i", "lo", "--lifetime", "0s");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--lifetime", "positive");
    }
}
