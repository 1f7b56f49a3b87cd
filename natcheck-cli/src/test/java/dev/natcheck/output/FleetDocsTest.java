package dev.natcheck.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docs/ gives a fleet's operator, held to the metrics natcheck really writes: the alert
 * rules (promtool checks them and runs their unit tests), the Grafana dashboard (well-formed,
 * importable as it is, every query valid PromQL naming only natcheck's metrics) and the PromQL
 * of docs/operations.md.
 */
class FleetDocsTest {

    private static final Path DOCS = Path.of("..", "docs");
    private static final Path FLEET = DOCS.resolve("fleet");
    private static final Path RULES = FLEET.resolve("natcheck-alerts.yml");
    private static final Path RULE_TESTS = FLEET.resolve("natcheck-alerts.test.yml");
    private static final Path DASHBOARD = FLEET.resolve("natcheck-dashboard.json");
    private static final Path OPERATIONS = DOCS.resolve("operations.md");

    private static final Pattern METRIC = Pattern.compile("\\b(natcheck_[a-z_]+)\\b");

    @TempDir
    Path dir;

    /** The metric families of the fullest textfile natcheck writes. */
    private static Set<String> families() {
        Set<String> names = new HashSet<>();
        for (String line : PrometheusReportTest.renderEverything().lines().toList()) {
            if (line.startsWith("# TYPE ")) {
                names.add(line.split(" ")[2]);
            }
        }
        return names;
    }

    private static Set<String> metricsNamed(String text) {
        Set<String> names = new HashSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void promtoolAcceptsTheAlertRules() throws Exception {
        Promtool.Result check = Promtool.run("", "check", "rules", RULES.toString());

        assertThat(check.status()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 6 rules found").doesNotContainIgnoringCase("warning");
    }

    /** promtool's unit tests of the rules: each alert fires when it should, and only then. */
    @Test
    void theAlertsFireWhenTheyShouldAndOnlyThen() throws Exception {
        Promtool.Result test = Promtool.run("", "test", "rules", RULE_TESTS.toString());

        assertThat(test.status()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void theRulesNameOnlyMetricsNatcheckWrites() throws Exception {
        Set<String> named = metricsNamed(Files.readString(RULES));

        assertThat(named).isNotEmpty();
        assertThat(families()).containsAll(named);
    }

    @Test
    void theDashboardIsImportableGrafanaJson() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());

        // What Grafana's import asks for: the data source input every panel refers to.
        assertThat(dashboard.at("/__inputs/0/name").asText()).isEqualTo("DS_PROMETHEUS");
        assertThat(dashboard.at("/__inputs/0/pluginId").asText()).isEqualTo("prometheus");
        assertThat(dashboard.get("uid").asText()).isEqualTo("natcheck-fleet");
        assertThat(dashboard.get("title").asText()).isNotBlank();
        assertThat(dashboard.get("schemaVersion").asInt()).isPositive();
        Set<String> required = new HashSet<>();
        dashboard
                .get("__requires")
                .forEach(r ->
                        required.add(r.get("type").asText() + ":" + r.get("id").asText()));
        assertThat(required).contains("grafana:grafana", "datasource:prometheus");

        JsonNode panels = dashboard.get("panels");
        assertThat(panels.size()).isGreaterThanOrEqualTo(10);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels) {
            String title = panel.get("title").asText();
            assertThat(ids.add(panel.get("id").asInt()))
                    .as("unique id: %s", title)
                    .isTrue();
            assertThat(required).as(title).contains("panel:" + panel.get("type").asText());
            JsonNode grid = panel.get("gridPos");
            assertThat(grid.get("x").asInt() + grid.get("w").asInt()).as(title).isLessThanOrEqualTo(24);
            assertThat(grid.get("h").asInt()).as(title).isPositive();
            assertThat(panel.at("/datasource/uid").asText()).as(title).isEqualTo("${DS_PROMETHEUS}");
            assertThat(panel.get("targets").size()).as(title).isPositive();
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.get("targets")) {
                assertThat(refIds.add(target.get("refId").asText())).as(title).isTrue();
                assertThat(target.get("expr").asText()).as(title).isNotBlank();
                assertThat(target.at("/datasource/uid").asText()).as(title).isEqualTo("${DS_PROMETHEUS}");
            }
        }
    }

    /** Every query of the dashboard names only metrics natcheck writes, and each metric is on it. */
    @Test
    void theDashboardsQueriesNameNatchecksMetrics() throws Exception {
        Map<String, String> queries = dashboardQueries();
        Set<String> named = new HashSet<>();
        queries.forEach((panel, expr) -> {
            Set<String> inQuery = metricsNamed(expr);
            assertThat(inQuery).as(panel).isNotEmpty();
            assertThat(families()).as(panel).containsAll(inQuery);
            named.addAll(inQuery);
        });

        // The history metrics are for alerts; everything else is shown.
        Set<String> shown = new HashSet<>(families());
        shown.removeAll(Set.of("natcheck_last_success_timestamp_seconds"));
        assertThat(named).containsAll(shown);
    }

    /** PromQL as Prometheus parses it: the dashboard's queries made recording rules for promtool. */
    @Test
    void theDashboardsQueriesAreValidPromql() throws Exception {
        assertValidPromql(dashboardQueries());
    }

    /** The PromQL of docs/operations.md (its ```promql blocks) is valid and names natcheck's metrics. */
    @Test
    void thePromqlInTheOperationsGuideIsValid() throws Exception {
        Matcher block = Pattern.compile("```promql\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(OPERATIONS));
        Map<String, String> queries = new LinkedHashMap<>();
        while (block.find()) {
            // A block may hold several queries, each after its own comment line.
            for (String query : block.group(1).split("(?m)^#.*\\n")) {
                if (!query.isBlank()) {
                    queries.put("operations.md query " + (queries.size() + 1), query.strip());
                }
            }
        }

        assertThat(queries).hasSizeGreaterThanOrEqualTo(5);
        queries.forEach((name, expr) -> assertThat(families()).as(name).containsAll(metricsNamed(expr)));
        assertValidPromql(queries);
    }

    private static Map<String, String> dashboardQueries() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                queries.put(
                        panel.get("title").asText() + " " + target.get("refId").asText(),
                        target.get("expr").asText());
            }
        }
        return queries;
    }

    private void assertValidPromql(Map<String, String> queries) throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n  - name: queries\n    rules:\n");
        List<String> names = new ArrayList<>(queries.keySet());
        for (int i = 0; i < names.size(); i++) {
            rules.append("      - record: query_").append(i).append("\n        expr: |\n");
            for (String line : queries.get(names.get(i)).lines().toList()) {
                rules.append("          ").append(line).append('\n');
            }
        }
        Path file = Files.writeString(dir.resolve("queries.yml"), rules);

        Promtool.Result check = Promtool.run("", "check", "rules", file.toString());

        assertThat(check.status())
                .as("promtool check rules on %s:%n%s%n%s", names, check.output(), rules)
                .isZero();
    }
}
