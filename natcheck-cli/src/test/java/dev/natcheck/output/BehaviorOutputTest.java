package dev.natcheck.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.natcheck.behavior.EndpointDependence;
import dev.natcheck.behavior.Rfc3489Type;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code --behavior} findings in the JSON, text and brief outputs. */
class BehaviorOutputTest {

    private static String write(ReportWriter writer, Report report) {
        StringWriter text = new StringWriter();
        writer.write(report, new PrintWriter(text));
        return text.toString();
    }

    @Test
    void jsonCarriesEachFindingOrNull() throws Exception {
        JsonNode probes = JsonReportTest.STRICT
                .readTree(write(new JsonReport(), SampleReports.withBehavior()))
                .get("probes");

        JsonNode cone = probes.get(0);
        assertThat(cone.get("mapping").asText()).isEqualTo("endpoint-independent");
        assertThat(cone.get("filtering").asText()).isEqualTo("address-and-port-dependent");
        assertThat(cone.get("hairpin").booleanValue()).isFalse();
        assertThat(cone.get("alg").booleanValue()).isFalse();
        assertThat(cone.get("rfc3489_type").asText()).isEqualTo("port-restricted-cone");
        assertThat(cone.get("binding_lifetime_s").asDouble()).isEqualTo(30.0);
        assertThat(cone.get("evidence").toString()).contains("filtering: nothing from elsewhere");

        JsonNode plain = probes.get(1);
        assertThat(plain.get("mapping").isNull()).isTrue();
        assertThat(plain.get("filtering").isNull()).isTrue();
        assertThat(plain.get("hairpin").booleanValue()).isTrue();
        assertThat(plain.get("alg").isNull()).isTrue();
        assertThat(plain.get("rfc3489_type").isNull()).isTrue();

        assertThat(probes.get(2).get("rfc3489_type").asText()).isEqualTo("blocked");
    }

    @Test
    void withoutBehaviorEveryNewFieldIsNull() throws Exception {
        for (JsonNode probe : JsonReportTest.STRICT
                .readTree(write(new JsonReport(), SampleReports.mixed()))
                .get("probes")) {
            for (String field :
                    List.of("mapping", "filtering", "hairpin", "alg", "rfc3489_type", "binding_lifetime_s")) {
                assertThat(probe.get(field).isNull()).as(field).isTrue();
            }
        }
    }

    @Test
    void textShowsEveryFindingAndSaysWhenTheServerCannot() {
        String text = write(new TextReport(false), SampleReports.withBehavior());

        assertThat(text)
                .contains(
                        "  behaviour (RFC 5780, server 203.0.113.10:3478, OTHER-ADDRESS 203.0.113.11:3479):",
                        "    mapping    endpoint-independent",
                        "    filtering  address-and-port-dependent",
                        "    hairpin    no",
                        "    ALG        none seen",
                        "    RFC 3489   port-restricted cone",
                        "    lifetime   still open after 30 s idle, gone after 45 s",
                        "    - filtering: nothing from elsewhere");
        assertThat(text)
                .contains(
                        "  behaviour (RFC 5780, server 203.0.113.20:3478):",
                        "    mapping    not supported by server",
                        "    filtering  not supported by server",
                        "    hairpin    yes",
                        "    RFC 3489   not supported by server");
        assertThat(text).contains("    mapping    no UDP answer", "    RFC 3489   blocked");
        assertThat(text).doesNotContain("    . mapping test I: answered");
        assertThat(write(new TextReport(true), SampleReports.withBehavior()))
                .contains("    . mapping test I: answered", "    . round trip 1.0 ms, tests took 250 ms");
    }

    @Test
    void briefAddsFiveColumnsWithoutSpaces() {
        List<String> lines =
                write(new BriefReport(), SampleReports.withBehavior()).lines().toList();

        assertThat(lines)
                .containsExactly(
                        "eth0\tipv4\tCPE_NAT\t198.51.100.2:40000\tendpoint-independent\taddress-and-port-dependent\tno\tno"
                                + "\tport-restricted-cone\t1",
                        "eth1\tipv4\tCPE_NAT\t198.51.100.3:40001\tnot-supported-by-server\tnot-supported-by-server\tyes"
                                + "\tnot-supported-by-server\tnot-supported-by-server\t1",
                        "wlan0\tipv4\tBLOCKED\t-\tno-udp-answer\tno-udp-answer\tno-udp-answer\tno-udp-answer\tblocked\t-");
        assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain(" "));
    }

    @Test
    void briefWithoutBehaviorHasItsFourColumnsAndTheNatCount() {
        assertThat(write(new BriefReport(), SampleReports.mixed()).lines())
                .allSatisfy(line -> assertThat(line.split("\t", -1)).hasSize(5));
    }

    @Test
    void theDocumentedValuesAreTheEnums() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "json-schema.md"));
        String mapping = doc.lines()
                .filter(l -> l.startsWith("| `mapping` |"))
                .findFirst()
                .orElseThrow();
        String type = doc.lines()
                .filter(l -> l.startsWith("| `rfc3489_type` |"))
                .findFirst()
                .orElseThrow();

        assertThat(codeWords(mapping))
                .containsSubsequence(Arrays.stream(EndpointDependence.values())
                        .map(EndpointDependence::wireName)
                        .toList());
        assertThat(codeWords(type))
                .containsSubsequence(Arrays.stream(Rfc3489Type.values())
                        .map(Rfc3489Type::token)
                        .toList());
    }

    private static List<String> codeWords(String row) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("`([a-z0-9-]+)`").matcher(row);
        while (m.find()) {
            words.add(m.group(1));
        }
        return words;
    }
}
