package dev.natcheck.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonReportTest {

    /** Strict: no duplicate keys, nothing after the document. */
    static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static String render(Report report) {
        StringWriter text = new StringWriter();
        new JsonReport().write(report, new PrintWriter(text));
        return text.toString();
    }

    @Test
    void writesOneStrictJsonDocumentWithEveryProbe() throws Exception {
        String text = render(SampleReports.mixed());
        JsonNode root = STRICT.readTree(text);

        assertThat(text).endsWith("}\n");
        assertThat(text.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7F)))
                .as("pure ASCII")
                .isTrue();
        assertThat(root.get("schema").asInt()).isEqualTo(3);
        JsonNode probes = root.get("probes");
        assertThat(probes).hasSize(4);

        JsonNode cpe = probes.get(0);
        assertThat(cpe.get("interface").asText()).isEqualTo("eth0");
        assertThat(cpe.get("family").asText()).isEqualTo("ipv4");
        assertThat(cpe.get("local").asText()).isEqualTo("192.168.1.2:40000");
        assertThat(cpe.get("transport").asText()).isEqualTo("udp");
        assertThat(cpe.get("server").asText()).isEqualTo("203.0.113.1:3478");
        assertThat(cpe.get("mapped").asText()).isEqualTo("203.0.113.10:61000");
        assertThat(cpe.get("verdict").asText()).isEqualTo("CPE_NAT");
        assertThat(cpe.get("nat").asText()).isEqualTo("CPE");
        assertThat(cpe.get("mapping_varies_by_destination").isBoolean()).isTrue();
        assertThat(cpe.get("mapping_varies_by_destination").asBoolean()).isFalse();
        assertThat(cpe.get("rtt_ms").isNumber()).isTrue();
        assertThat(cpe.get("rtt_ms").asDouble()).isEqualTo(0.4);

        JsonNode v6 = probes.get(1);
        assertThat(v6.get("local").asText()).isEqualTo("[2001:db8::2]:40001");
        assertThat(v6.get("verdict").asText()).isEqualTo("NO_NAT");
        assertThat(v6.get("mapping_varies_by_destination").isNull()).isTrue();
        assertThat(v6.get("rtt_ms").asDouble()).isEqualTo(12.346);

        JsonNode tcp = probes.get(2);
        assertThat(tcp.get("transport").asText()).isEqualTo("tcp");
        assertThat(tcp.get("verdict").asText()).isEqualTo("UDP_BLOCKED");

        JsonNode blocked = probes.get(3);
        assertThat(blocked.get("interface").asText()).isEqualTo("tab\tname");
        for (String field : List.of("transport", "server", "mapped", "rtt_ms", "mapping_varies_by_destination")) {
            assertThat(blocked.get(field).isNull()).as(field).isTrue();
        }
        assertThat(blocked.get("verdict").asText()).isEqualTo("BLOCKED");
        assertThat(blocked.get("nat").asText()).isEqualTo("UNKNOWN");
    }

    @Test
    void escapesHostileEvidenceSoItRoundTrips() throws Exception {
        JsonNode root = STRICT.readTree(render(SampleReports.mixed()));
        List<String> evidence = STRICT.convertValue(
                root.get("probes").get(2).get("evidence"),
                STRICT.getTypeFactory().constructCollectionType(List.class, String.class));

        assertThat(evidence).contains("hostile \"quote\" \\ back\nslash \u0001 control \u00e9 \ud83d\ude00 \u2028");
    }

    @Test
    void carriesTheNatCountTheGatewaysWordAndThePath() throws Exception {
        JsonNode probes = STRICT.readTree(render(SampleReports.nat444())).get("probes");

        JsonNode carrier = probes.get(0);
        assertThat(carrier.get("verdict").asText()).isEqualTo("CG_NAT");
        assertThat(carrier.get("nat_layers").asInt()).isEqualTo(2);
        JsonNode gateway = carrier.get("gateway");
        assertThat(gateway.get("protocol").asText()).isEqualTo("pcp");
        assertThat(gateway.get("address").asText()).isEqualTo("192.168.1.1");
        assertThat(gateway.get("external").asText()).isEqualTo("100.64.1.2");
        assertThat(gateway.get("result").asText()).isEqualTo("no-resources");
        assertThat(carrier.get("path").toString())
                .as("TTL order, null where nobody answered")
                .isEqualTo("[\"192.168.1.1\",null,\"100.64.1.1\",\"198.51.100.1\"]");

        JsonNode silent = probes.get(1);
        assertThat(silent.get("nat_layers").asInt()).isEqualTo(1);
        assertThat(silent.get("gateway").get("protocol").asText()).isEqualTo("pcp");
        assertThat(silent.get("gateway").get("external").isNull()).isTrue();
        assertThat(silent.get("gateway").get("result").asText()).isEqualTo("no-answer");
        assertThat(silent.get("path").isArray()).isTrue();
        assertThat(silent.get("path")).isEmpty();
    }

    @Test
    void withoutGatewayOrPathBothAreNullAndBlockedHasNoCount() throws Exception {
        JsonNode probes = STRICT.readTree(render(SampleReports.mixed())).get("probes");

        assertThat(probes.get(0).get("nat_layers").asInt()).isEqualTo(1);
        assertThat(probes.get(1).get("nat_layers").asInt()).as("no NAT").isZero();
        assertThat(probes.get(3).get("nat_layers").isNull())
                .as("nothing answered")
                .isTrue();
        for (JsonNode probe : probes) {
            assertThat(probe.get("gateway").isNull()).isTrue();
            assertThat(probe.get("path").isNull()).isTrue();
        }
    }

    @Test
    void anEmptyRunIsStillADocument() throws Exception {
        JsonNode root = STRICT.readTree(render(new Report(List.of(), SampleReports.FINISHED, "x")));

        assertThat(root.get("schema").asInt()).isEqualTo(3);
        assertThat(root.get("probes").isArray()).isTrue();
        assertThat(root.get("probes")).isEmpty();
    }
}
