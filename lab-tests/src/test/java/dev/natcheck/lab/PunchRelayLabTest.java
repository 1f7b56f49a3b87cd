package dev.natcheck.lab;

import static dev.natcheck.lab.LabAssumptions.assumeArtifact;
import static dev.natcheck.lab.LabAssumptions.assumeLab;
import static dev.natcheck.lab.LabAssumptions.assumeTool;
import static dev.natcheck.lab.PeerKind.SYMMETRIC;
import static dev.natcheck.lab.PeerKind.UDP_BLOCKED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code natcheck punch --turn} where no direct path can exist: coturn as both sides' TURN relay
 * on the server host (203.0.113.10, UDP and TCP port {@link #RELAY_PORT}, beside natcheck's own
 * STUN server on 3478/3479). Symmetric NATs on both sides reach the relay over UDP; where UDP is
 * blocked the sides reach it over TCP, the relayed addresses still UDP. Each pair is predicted
 * relay, finds no direct path, and then confirms, on both sides, a path through the relay, with
 * its round trip; both allocations are released; coturn refuses nothing natcheck sent.
 */
class PunchRelayLabTest {

    static final int RELAY_PORT = 3490;
    static final Duration TIMEOUT = Duration.ofSeconds(8);
    private static final String USER = "peers";
    private static final String PASSWORD = "shared relay password";

    static Stream<Arguments> pairs() {
        return Stream.of(
                Arguments.of(new PeerPair(SYMMETRIC, SYMMETRIC), "udp"),
                Arguments.of(new PeerPair(UDP_BLOCKED, UDP_BLOCKED), "tcp"),
                Arguments.of(new PeerPair(SYMMETRIC, UDP_BLOCKED), "tcp"));
    }

    @ParameterizedTest(name = "{0}, relay over {1}")
    @MethodSource("pairs")
    void pairsThatCannotPunchConfirmAPathThroughTheRelay(PeerPair pair, String transport) throws IOException {
        Lab lab = assumeLab();
        assumeTool("turnserver");
        Path natcheck = assumeArtifact(PunchSides.JAR);
        Path stunJar = assumeArtifact(ProjectServers.STUN_JAR);
        try (LabNetwork net = lab.up(pair)) {
            ProjectServers.startStun(net, stunJar, false);
            LabProcess coturn = Coturn.startRelay(net, USER, PASSWORD, RELAY_PORT);
            Path password = Files.writeString(net.logDir().resolve("turn-password"), PASSWORD + "\n");
            String relay = net.facts().server4() + ":" + RELAY_PORT;
            List<String> flags = List.of(
                    "--turn",
                    transport.equals("tcp") ? "turn:" + relay + "?transport=tcp" : relay,
                    "--turn-user",
                    USER,
                    "--turn-password",
                    "file:" + password);

            PunchSides sides = PunchSides.run(net, natcheck, TIMEOUT, flags);

            PunchLabTest.record(pair, "--turn " + transport, sides);
            for (PunchSides.Side side : List.of(sides.offer(), sides.answer())) {
                assertThat(side.document()).as(side.describe()).isNotNull();
                assertThat(side.prediction().get("path")).as(side.describe()).isEqualTo("relay");
                assertThat(side.directPath()).as(side.describe()).isFalse();
                Map<String, Object> relayed = side.object("relayed");
                assertThat(relayed.get("path_confirmed")).as(side.describe()).isEqualTo(true);
                assertThat((String) relayed.get("relayed_address"))
                        .startsWith(net.facts().server4() + ":");
                @SuppressWarnings("unchecked")
                Map<String, Object> rtt = (Map<String, Object>) relayed.get("rtt_ms");
                assertThat((Double) rtt.get("samples")).isPositive();
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> relays =
                        (List<Map<String, Object>>) side.document().get("relays");
                assertThat(relays).singleElement().satisfies(r -> {
                    assertThat(r.get("result")).isEqualTo("OK");
                    assertThat(r.get("released")).isEqualTo("RELEASED");
                });
                assertThat(side.exitCode()).as(side.describe()).isEqualTo(4);
            }
            String log = coturn.stdout();
            assertThat(refusals(log)).as(log).isEmpty();
            assertThat(Pattern.compile("lifetime=0").matcher(log).results().count())
                    .isGreaterThanOrEqualTo(2);
        }
    }

    /** Error codes coturn logged other than the 401 every first Allocate draws and a retransmission's 437. */
    private static List<Integer> refusals(String log) {
        Matcher m = Pattern.compile("processed, error (\\d{3})").matcher(log);
        return m.results()
                .map(r -> Integer.parseInt(r.group(1)))
                .filter(code -> code != 401 && code != 437)
                .toList();
    }
}
