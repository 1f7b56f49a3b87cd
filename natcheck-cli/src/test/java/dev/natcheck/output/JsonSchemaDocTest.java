package dev.natcheck.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.natcheck.classify.NatKind;
import dev.natcheck.classify.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/json-schema.md is the contract: its field tables are parsed here and every document the
 * writer produces must have exactly those fields, in that order, with those types.
 */
class JsonSchemaDocTest {

    private static final Path DOC = Path.of("..", "docs", "json-schema.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9_]+)` \\| ([a-z ,]+) \\| (.*) \\|$");

    /** Field name to documented type, per table ("Top level", "Each probe"). */
    static Map<String, Map<String, String>> tables() throws IOException {
        Map<String, Map<String, String>> tables = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : Files.readAllLines(DOC)) {
            if (line.startsWith("## ")) {
                current = new LinkedHashMap<>();
                tables.put(line.substring(3).strip(), current);
            }
            Matcher m = ROW.matcher(line);
            if (m.matches() && current != null) {
                current.put(m.group(1), m.group(2).strip());
            }
        }
        return tables;
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
            assertThat(fieldNames(root)).containsExactlyElementsOf(top.keySet());
            top.forEach((field, type) -> assertThat(matches(root.get(field), type))
                    .as(field + " is " + type)
                    .isTrue());
            assertThat(root.get("probes")).isNotEmpty();
            for (JsonNode entry : root.get("probes")) {
                assertThat(fieldNames(entry)).containsExactlyElementsOf(probe.keySet());
                probe.forEach((field, type) -> assertThat(matches(entry.get(field), type))
                        .as(field + " is " + type + " in " + entry)
                        .isTrue());
                JsonNode object = entry.get("gateway");
                if (object.isObject()) {
                    assertThat(fieldNames(object)).containsExactlyElementsOf(gateway.keySet());
                    gateway.forEach((field, type) -> assertThat(matches(object.get(field), type))
                            .as("gateway." + field + " is " + type)
                            .isTrue());
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

        assertThat(codeWords(verdictRow))
                .containsExactlyElementsOf(
                        Arrays.stream(Verdict.values()).map(Enum::name).toList());
        assertThat(codeWords(natRow))
                .containsExactlyElementsOf(
                        Arrays.stream(NatKind.values()).map(Enum::name).toList());
    }

    private static List<String> codeWords(String row) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("`([A-Z_0-9]+)`").matcher(row);
        while (m.find()) {
            words.add(m.group(1));
        }
        return words;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static boolean matches(JsonNode value, String type) {
        return switch (type) {
            case "integer" -> value.isIntegralNumber();
            case "string" -> value.isTextual();
            case "string or null" -> value.isTextual() || value.isNull();
            case "number or null" -> value.isNumber() || value.isNull();
            case "boolean or null" -> value.isBoolean() || value.isNull();
            case "integer or null" -> value.isIntegralNumber() || value.isNull();
            case "object or null" -> value.isObject() || value.isNull();
            case "array of strings and nulls, or null" ->
                value.isNull() || (value.isArray() && allMatch(value, v -> v.isTextual() || v.isNull()));
            case "array of objects" -> value.isArray() && allMatch(value, JsonNode::isObject);
            case "array of strings" -> value.isArray() && allMatch(value, JsonNode::isTextual);
            default ->
                throw new AssertionError("type '" + type + "' in docs/json-schema.md is not one this test knows");
        };
    }

    private static boolean allMatch(JsonNode array, java.util.function.Predicate<JsonNode> test) {
        for (JsonNode item : array) {
            if (!test.test(item)) {
                return false;
            }
        }
        return true;
    }
}
