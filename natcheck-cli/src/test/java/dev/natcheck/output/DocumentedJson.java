package dev.natcheck.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON contracts written in docs/ (json-schema.md, punch.md) read as tests read them: field
 * tables under headings, each row a field and its type, and a JSON object held to one table.
 */
public final class DocumentedJson {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9_]+)` \\| ([a-z ,]+) \\| (.*) \\|$");
    private static final Pattern CODE_WORD = Pattern.compile("`([A-Z_0-9]+)`");

    private DocumentedJson() {}

    /**
     * Field name to documented type, per table, in the documented order: a table is the rows
     * under a heading that starts with {@code heading} (e.g. {@code "## "}) up to the next
     * heading of any level.
     */
    public static Map<String, Map<String, String>> tables(Path doc, String heading) throws IOException {
        Map<String, Map<String, String>> tables = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : Files.readAllLines(doc)) {
            if (line.startsWith(heading)) {
                current = new LinkedHashMap<>();
                tables.put(line.substring(heading.length()).strip(), current);
            } else if (line.startsWith("#")) {
                current = null;
            }
            Matcher m = ROW.matcher(line);
            if (m.matches() && current != null) {
                current.put(m.group(1), m.group(2).strip());
            }
        }
        return tables;
    }

    /** {@code node} has exactly the documented fields, in order, each of its documented type. */
    public static void assertFields(JsonNode node, Map<String, String> fields) {
        assertThat(fieldNames(node)).as(node.toString()).containsExactlyElementsOf(fields.keySet());
        fields.forEach((field, type) -> assertThat(matches(node.get(field), type))
                .as(field + " is " + type + " in " + node)
                .isTrue());
    }

    /** The upper-case words in backticks of a table row: the documented values of an enum. */
    public static List<String> codeWords(String row) {
        List<String> words = new ArrayList<>();
        Matcher m = CODE_WORD.matcher(row);
        while (m.find()) {
            words.add(m.group(1));
        }
        return words;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Whether {@code value} is of a type as the docs write it. */
    static boolean matches(JsonNode value, String type) {
        return switch (type) {
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            case "string or null" -> value.isTextual() || value.isNull();
            case "number or null" -> value.isNumber() || value.isNull();
            case "boolean or null" -> value.isBoolean() || value.isNull();
            case "integer or null" -> value.isIntegralNumber() || value.isNull();
            case "object or null" -> value.isObject() || value.isNull();
            case "array of strings and nulls, or null" ->
                value.isNull() || (value.isArray() && allMatch(value, v -> v.isTextual() || v.isNull()));
            case "array of objects" -> value.isArray() && allMatch(value, JsonNode::isObject);
            case "array of strings" -> value.isArray() && allMatch(value, JsonNode::isTextual);
            default -> throw new AssertionError("type '" + type + "' in the docs is not one this test knows");
        };
    }

    private static boolean allMatch(JsonNode array, Predicate<JsonNode> test) {
        for (JsonNode item : array) {
            if (!test.test(item)) {
                return false;
            }
        }
        return true;
    }
}
