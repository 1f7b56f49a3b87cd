package dev.natcheck.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.natcheck.relay.RelayOutcome;
import dev.natcheck.relay.RelayReport;
import dev.natcheck.relay.RelayResult;
import dev.natcheck.relay.Release;
import dev.natcheck.relay.TurnServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * docs/json-schema.md's two "natcheck relay" tables are the contract of {@code natcheck relay -o
 * json}: every document has exactly those fields, in that order, with those types, for a relay
 * that worked and one that did not; the documented results and release values are the enums.
 */
class RelayJsonDocTest {

    private static final InetSocketAddress RELAY = socket("203.0.113.10", 3478);

    static RelayReport sample() {
        RelayOutcome ok = new RelayOutcome(
                TurnServer.parse("turn.example.org"),
                Optional.of(RELAY),
                RelayResult.OK,
                "relayed address 203.0.113.10:49731; 3 of 3 echoes came back through the relay",
                Optional.of(socket("192.168.1.2", 40000)),
                Optional.of(socket("198.51.100.2", 40000)),
                Optional.of(socket("203.0.113.10", 49731)),
                600,
                Optional.of(Duration.ofMillis(48)),
                Optional.of(Duration.ofMillis(20)),
                List.of(Duration.ofMillis(21), Duration.ofMillis(22)),
                3,
                3,
                true,
                Release.RELEASED,
                List.of("asked for credentials (401, realm \"example.org\"), asked again with them"));
        RelayOutcome failed = new RelayOutcome(
                TurnServer.parse("turn:turn2.example.org:443?transport=tcp"),
                Optional.of(socket("198.51.100.20", 443)),
                RelayResult.AUTH_FAILED,
                "wrong credentials",
                Optional.of(socket("192.168.1.2", 40001)),
                Optional.empty(),
                Optional.empty(),
                0,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                0,
                0,
                false,
                Release.NOTHING_ALLOCATED,
                List.of());
        return new RelayReport(List.of(ok, failed), "user alice", false, Instant.EPOCH, "test");
    }

    @Test
    void theDocumentedFieldsAreExactlyTheWrittenOnes() throws Exception {
        Map<String, Map<String, String>> tables = JsonSchemaDocTest.tables();
        Map<String, String> top = tables.get("natcheck relay: top level");
        Map<String, String> relay = tables.get("natcheck relay: each relay");
        StringWriter text = new StringWriter();
        new RelayJsonReport().write(sample(), new PrintWriter(text));

        JsonNode root = JsonReportTest.STRICT.readTree(text.toString());

        DocumentedJson.assertFields(root, top);
        assertThat(root.get("relays")).hasSize(2);
        for (JsonNode entry : root.get("relays")) {
            DocumentedJson.assertFields(entry, relay);
        }
        assertThat(root.get("relays").get(0).get("rtt_ms").get("samples").asInt())
                .isEqualTo(2);
        assertThat(root.get("fastest").asText()).isEqualTo("turn.example.org:3478");
    }

    @Test
    void theDocumentedResultsAndReleasesAreTheEnums() throws Exception {
        List<String> whole = java.nio.file.Files.readAllLines(java.nio.file.Path.of("..", "docs", "json-schema.md"));
        // Other objects (the gateway's) have a `result` row of their own: read the relay's section.
        List<String> doc = whole.subList(whole.indexOf("## natcheck relay: each relay"), whole.size());
        String resultRow = doc.stream()
                .filter(l -> l.startsWith("| `result` |"))
                .findFirst()
                .orElseThrow();
        String releasedRow = doc.stream()
                .filter(l -> l.startsWith("| `released` |"))
                .findFirst()
                .orElseThrow();

        assertThat(DocumentedJson.codeWords(resultRow))
                .containsExactlyElementsOf(
                        Arrays.stream(RelayResult.values()).map(Enum::name).toList());
        assertThat(DocumentedJson.codeWords(releasedRow))
                .containsExactlyElementsOf(
                        Arrays.stream(Release.values()).map(Enum::name).toList());
    }

    private static InetSocketAddress socket(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
