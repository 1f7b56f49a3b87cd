package dev.natcheck.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The harness's readers of tool output; these run everywhere, root or not. */
class ParsingTest {

    /** natdiscovery's output for the cpe topology, as coturn 4.6 printed it in the lab (abridged). */
    private static final String NATDISCOVERY_CPE = """
            -= Mapping Behavior Discovery =-
            0: : IPv4. UDP reflexive addr: 198.51.100.2:42185
            0: : IPv4. Local addr: : 192.168.1.2:42185
            NAT with Endpoint Independent Mapping!
            -= Filtering Behavior Discovery =-
            0: : IPv4. UDP reflexive addr: 198.51.100.2:45055
            STUN receive timeout..
            NAT with Address and Port Dependent Filtering!
            """;

    @Test
    void natdiscoveryOutputGivesMappingFilteringAndReflexiveHosts() {
        NatBehaviour b = NatBehaviour.parse(NATDISCOVERY_CPE);
        assertThat(b.noNat()).isFalse();
        assertThat(b.mapping()).isEqualTo(NatBehaviour.Behaviour.ENDPOINT_INDEPENDENT);
        assertThat(b.filtering()).isEqualTo(NatBehaviour.Behaviour.ADDRESS_AND_PORT_DEPENDENT);
        assertThat(b.reflexiveHosts()).containsExactly("198.51.100.2");
        assertThat(b.summary()).isEqualTo("EIM/APDF");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            No NAT! (Endpoint Independent Mapping)      NAT with Endpoint Independent Filtering!          | no NAT/EIF
            NAT with Address Dependent Mapping!         NAT with Address Dependent Filtering!             | ADM/ADF
            NAT with Address and Port Dependent Mapping! NAT with Address and Port Dependent Filtering!   | APDM/APDF
            STUN receive timeout..                                                                       | ?/?
            """)
    void natdiscoveryConclusionsReadAsTheirAbbreviations(String output, String summary) {
        assertThat(NatBehaviour.parse(output).summary()).isEqualTo(summary);
    }

    @Test
    void ipv6ReflexiveAddressesLoseOnlyThePort() {
        NatBehaviour b = NatBehaviour.parse("0: : IPv6. UDP reflexive addr: 2001:db8:2::2:41368\n");
        assertThat(b.reflexiveHosts()).containsExactly("2001:db8:2::2");
    }

    @Test
    void labFactsAreKeyValueLines() {
        LabFacts f = LabFacts.parse(
                "topology=nat66\nns_cli=nc1x1-nat66-cli\nnoise line\nclient4=192.168.1.2\nclient6=fd00:2::2\n");
        assertThat(f.namespace(Role.CLI)).isEqualTo("nc1x1-nat66-cli");
        assertThat(f.client4()).isEqualTo("192.168.1.2");
        assertThat(f.client6()).contains("fd00:2::2");
        assertThat(f.mapped6()).isEmpty();
        assertThatThrownBy(f::server4).hasMessageContaining("no 'server4'");
    }

    @Test
    void jsonReadsNatchecksDocument() {
        String doc = """
                {"schema":1,"probes":[{"interface":"eth0","family":"ipv6","local":"[fd00:2::2]:40000",
                "transport":"udp","server":"[2001:db8:f::10]:3478","mapped":"[2001:db8:2::2]:40000",
                "verdict":"NAT66","nat":"NAT66","mapping_varies_by_destination":null,"rtt_ms":0.4,
                "evidence":["a \\"quoted\\" \\u0041 word"]}]}
                """;
        List<NatcheckRun.Probe> probes = NatcheckRun.Probe.fromDocument(doc);
        assertThat(probes).singleElement().satisfies(p -> {
            assertThat(p.localHost()).contains("fd00:2::2");
            assertThat(p.mappedHost()).contains("2001:db8:2::2");
            assertThat(p.mappingVariesByDestination()).isNull();
            assertThat(p.evidence()).containsExactly("a \"quoted\" A word");
        });
    }

    @Test
    void jsonValuesOfEveryKind() {
        assertThat(Json.parse(" {\"a\":[1,-2.5e1,true,false,null,\"x\"],\"b\":{}} "))
                .isEqualTo(Map.of("a", java.util.Arrays.asList(1.0, -25.0, true, false, null, "x"), "b", Map.of()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"a":1} x      | trailing text after the document at offset 8
            {"a":1,"a":2}  | duplicate member "a"
            [1,]           | unexpected ']'
            {"a" 1}        | expected ':' at offset 5
            "abc           | unexpected end
            """)
    void malformedJsonIsRejectedWithTheOffset(String text, String message) {
        assertThatThrownBy(() -> Json.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
