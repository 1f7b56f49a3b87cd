package dev.natcheck.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.natcheck.classify.NatKind;
import dev.natcheck.classify.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/json-schema.md is the contract: its field tables are parsed here and every document the
 * writer produces must have exactly those fields, in that order, with those types.
 */
class JsonSchemaDocTest {

    private static final Path DOC = Path.of("..", "docs", "json-schema.md");

    /** Field name to documented type, per table ("Top level", "Each probe"). */
    static Map<String, Map<String, String>> tables() throws IOException {
        return DocumentedJson.tables(DOC, "## ");
    }

    @Test
    void theDocumentedFieldsAreExactlyTheWrittenOnes() throws Exception {
        Map<String, Map<String, String>> tables = tables();
        Map<String, String> top = tables.get("Top level");
        Map<String, String> probe = tables.get("Each probe");
        assertThat(top).containsOnlyKeys("schema", "probes");
        Map<String, String> gateway = tables.get("The gateway object");
        assertThat(probe).hasSize(20);
        assertThat(gateway).containsOnlyKeys("protocol", "address", "external", "result");

        for (Report sample : List.of(SampleReports.mixed(), SampleReports.withBehavior(), SampleReports.nat444())) {
            JsonNode root = JsonReportTest.STRICT.readTree(JsonReportTest.render(sample));
            DocumentedJson.assertFields(root, top);
            assertThat(root.get("probes")).isNotEmpty();
            for (JsonNode entry : root.get("probes")) {
                DocumentedJson.assertFields(entry, probe);
                JsonNode object = entry.get("gateway");
                if (object.isObject()) {
                    DocumentedJson.assertFields(object, gateway);
                }
            }
        }
    }

    @Test
    void theDocumentedVerdictsAndNatKindsAreTheEnums() throws Exception {
        String doc = Files.readString(DOC);
        String verdictRow = doc.lines()
                .filter(l -> l.startsWith("| `verdict` |"))
                .findFirst()
                .orElseThrow();
        String natRow =
                doc.lines().filter(l -> l.startsWith("| `nat` |")).findFirst().orElseThrow();

        assertThat(DocumentedJson.codeWords(verdictRow))
                .containsExactlyElementsOf(
                        Arrays.stream(Verdict.values()).map(Enum::name).toList());
        assertThat(DocumentedJson.codeWords(natRow))
                .containsExactlyElementsOf(
                        Arrays.stream(NatKind.values()).map(Enum::name).toList());
    }
}
