package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natcheck.address.AddressText;
import dev.natcheck.stun.Coturn;
import dev.natcheck.stunserver.StunServer;
import dev.natcheck.stunserver.StunServerConfig;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code natcheck punch --turn} on loopback, both sides in this JVM with coturn as their relay: the
 * relayed address goes into each token, after the direct round both sides check through the
 * relay and confirm that path too, the report sets the relayed round trip against the direct
 * one, and both allocations are released before the report is written.
 */
class PunchRelayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Executor SIDES =
            Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory());

    @TempDir
    Path dir;

    @Test
    void bothSidesConfirmAPathThroughTheRelayAndReleaseIt() throws Exception {
        assumeTrue(Coturn.installed(), "coturn's turnserver is not installed (apt-get install coturn)");
        Path password = Files.writeString(dir.resolve("turn-password"), "relay-pw\n");
        try (Coturn coturn = Coturn.withUser("peer", "relay-pw");
                StunServer server =
                        StunServer.start(StunServerConfig.loopbackEphemeral(InetAddress.getByName("127.0.0.2")))) {
            String stun = AddressText.format(server.boundAddresses().getFirst());
            List<String> relayFlags =
                    List.of("--turn", coturn.udp(), "--turn-user", "peer", "--turn-password", "file:" + password);
            Path offerToken = dir.resolve("offer.token");
            Path answerToken = dir.resolve("answer.token");
            CompletableFuture<Run> offer = CompletableFuture.supplyAsync(
                    () -> Run.of(
                            PunchCommandTest.LOOPBACK,
                            side(
                                    "offer",
                                    stun,
                                    relayFlags,
                                    "--token-file",
                                    offerToken.toString(),
                                    "--answer-file",
                                    answerToken.toString())),
                    SIDES);
            String token = awaitFile(offerToken);
            List<String> textFlags = new ArrayList<>(relayFlags);
            textFlags.addAll(List.of("-o", "text"));
            Run answer = Run.of(
                    PunchCommandTest.LOOPBACK,
                    side("answer", stun, textFlags, "--token-file", answerToken.toString(), token));
            Run offered = offer.get(90, TimeUnit.SECONDS);

            assertThat(answer.exitCode()).as(answer.err()).isZero();
            assertThat(answer.out())
                    .contains("relay " + coturn.udp() + ": OK, ")
                    .contains(" through it, released")
                    .containsPattern(
                            "through a relay \\(this side's relay " + java.util.regex.Pattern.quote(coturn.udp())
                                    + "\\): \\S+ <-> \\S+ \\(\\w+\\), confirmed [\\d.]+ ms after the round began; round trip")
                    .containsPattern(
                            "direct against relayed round trip: [\\d.]+ ms direct, [\\d.]+ ms through the relay");
            for (Run run : List.of(offered)) {
                assertThat(run.exitCode()).as(run.err()).isZero();
                JsonNode doc = JSON.readTree(run.out());
                PunchCommandTest.assertDocumented(doc);
                assertThat(doc.at("/local/candidates/0/type").asText()).isEqualTo("relay");
                assertThat(doc.at("/relays/0/result").asText()).isEqualTo("OK");
                assertThat(doc.at("/relays/0/released").asText()).isEqualTo("RELEASED");
                assertThat(doc.at("/outcome/direct_path").asBoolean()).isTrue();
                assertThat(doc.at("/relayed/relay").asText()).isEqualTo(coturn.udp());
                assertThat(doc.at("/relayed/path_confirmed").asBoolean())
                        .as(run.out())
                        .isTrue();
                assertThat(doc.at("/relayed/rtt_ms/samples").asInt()).isPositive();
                assertThat(doc.at("/relayed/ending").asText()).startsWith("path through a relay ");
            }
            assertThat(coturn.successes("CREATE_PERMISSION")).isGreaterThanOrEqualTo(2);
            assertThat(coturn.successes("REFRESH")).isGreaterThanOrEqualTo(2);
            assertThat(coturn.refusals()).as(coturn.log()).isEmpty();
        }
    }

    private static String[] side(String side, String stun, List<String> relayFlags, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "punch", side, "-i", "lo", "-4", "-s", stun, "--timeout", "10s", "--stun-timeout", "3s", "-o", "json"));
        args.addAll(relayFlags);
        args.addAll(List.of(more));
        if (args.lastIndexOf("-o") > args.indexOf("-o")) { // a later -o wins: drop the default
            args.remove(args.indexOf("-o") + 1);
            args.remove(args.indexOf("-o"));
        }
        return args.toArray(String[]::new);
    }

    private static String awaitFile(Path file) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (Files.isRegularFile(file) && Files.size(file) > 0) {
                return Files.readString(file).strip();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no token in " + file);
    }
}
