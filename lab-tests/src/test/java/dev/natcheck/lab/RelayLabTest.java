package dev.natcheck.lab;

import static dev.natcheck.lab.LabAssumptions.assumeArtifact;
import static dev.natcheck.lab.LabAssumptions.assumeLab;
import static dev.natcheck.lab.LabAssumptions.assumeTool;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code natcheck relay} in the lab: coturn as the TURN relay on the server host (203.0.113.10,
 * UDP and TCP 3478), natcheck in the client namespace behind each kind of NAT, asking for the
 * relay over UDP and over TCP at once. Behind a home router and behind a symmetric NAT both
 * work; where UDP is blocked, UDP gets no answer and TCP, whose relayed address is still UDP,
 * works and is the fastest. Every allocation is released, and coturn refuses nothing natcheck
 * sent.
 */
class RelayLabTest {

    private static final String USER = "lab";
    private static final String PASSWORD = "relay lab password";

    /** topology, what the UDP relay gives, what the TCP relay gives, which is fastest. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(Topology.CPE, "OK", "OK", null),
                Arguments.of(Topology.SYMMETRIC, "OK", "OK", null),
                Arguments.of(Topology.UDPBLOCKED, "NO_ANSWER", "OK", "tcp"));
    }

    @ParameterizedTest(name = "{0}: udp {1}, tcp {2}")
    @MethodSource("table")
    void theRelayWorksOverWhatTheNetworkLetsThrough(Topology topology, String udp, String tcp, String fastest)
            throws IOException {
        Lab lab = assumeLab();
        assumeTool("turnserver");
        Path jar = assumeArtifact(NatcheckRun.JAR);
        try (LabNetwork net = lab.up(topology)) {
            LabProcess coturn = Coturn.startRelay(net, USER, PASSWORD);
            Path password = Files.writeString(net.logDir().resolve("turn-password"), PASSWORD + "\n");
            String server = net.facts().server4();
            List<String> command = new ArrayList<>(List.of(
                    Lab.java().toString(),
                    "-jar",
                    jar.toString(),
                    "relay",
                    "--turn",
                    server,
                    "--turn",
                    "turn:" + server + "?transport=tcp",
                    "--turn-user",
                    USER,
                    "--turn-password",
                    "file:" + password,
                    "--timeout",
                    "3s",
                    "-o",
                    "json"));

            ExecResult run = net.exec(Role.CLI, Duration.ofSeconds(30), command);

            assertThat(run.exitCode()).as(run::describe).isZero();
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = (Map<String, Object>) Json.parse(run.stdout());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> relays = (List<Map<String, Object>>) doc.get("relays");
            assertThat(relays)
                    .extracting(r -> r.get("result"))
                    .as(run::describe)
                    .containsExactly(udp, tcp);
            for (Map<String, Object> relay : relays) {
                if (relay.get("result").equals("OK")) {
                    assertThat((String) relay.get("relayed")).startsWith(server + ":");
                    assertThat((String) relay.get("mapped"))
                            .startsWith(net.facts().mapped4() + ":");
                    assertThat(relay.get("released")).isEqualTo("RELEASED");
                    assertThat(relay.get("echoes_back"))
                            .isEqualTo(relay.get("transport").equals("tcp") ? 1.0 : 3.0);
                } else {
                    assertThat(relay.get("released")).isEqualTo("NOTHING_ALLOCATED");
                }
            }
            if (fastest != null) {
                assertThat((String) doc.get("fastest")).contains("transport=" + fastest);
            }
            String log = coturn.stdout();
            assertThat(refusals(log)).as(log).isEmpty();
            assertThat(log).contains("lifetime=0");
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
