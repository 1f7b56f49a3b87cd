package dev.natcheck.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextReportTest {

    @Test
    void printsATableThenASummaryWithEvidencePerProbe() {
        StringWriter text = new StringWriter();
        new TextReport(false).write(SampleReports.mixed(), new PrintWriter(text));
        List<String> lines = text.toString().lines().toList();

        assertThat(lines.get(0))
                .isEqualTo("Summary: no NAT (eth0 ipv6); home router NAT (eth0 ipv4); UDP blocked (wlan0 ipv4); "
                        + "nothing answered (tab\tname ipv4)");
        assertThat(lines.get(1)).isEmpty();
        lines = lines.subList(2, lines.size());
        assertThat(lines.get(0))
                .startsWith("INTERFACE")
                .contains("FAMILY", "VERDICT", "NAT", "LOCAL", "MAPPED", "VIA", "RTT");
        assertThat(lines.get(1))
                .matches("eth0 +ipv4 +CPE_NAT +CPE +192\\.168\\.1\\.2:40000 +203\\.0\\.113\\.10:61000 +udp +0\\.4 ms");
        assertThat(lines.get(4)).matches("tab\tname +ipv4 +BLOCKED +UNKNOWN +192\\.0\\.2\\.9:0 +- +- +-");
        // Columns line up: VERDICT starts at the same offset on every row.
        int column = lines.get(0).indexOf("VERDICT");
        assertThat(lines.subList(1, 5))
                .allSatisfy(row -> assertThat(row.substring(column)).matches("[A-Z_]+ .*"));
        assertThat(lines)
                .contains(
                        "eth0 ipv4: behind a home router's NAT (CPE), seen as 203.0.113.10:61000",
                        "wlan0 ipv4: UDP gets no answer, TCP gets through (home router NAT), seen as 203.0.113.20:50001",
                        "tab\tname ipv4: nothing answered: no answer over UDP, no answer over TCP");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  - local address 192.168.1.2 is private"));
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains("ICMP port unreachable"));
    }

    @Test
    void showsTheNatCountTheGatewayAndThePath() {
        StringWriter text = new StringWriter();
        new TextReport(false).write(SampleReports.nat444(), new PrintWriter(text));

        assertThat(text.toString())
                .contains(
                        "eth0 ipv4: behind carrier-grade NAT (CG-NAT), seen as 198.51.100.2:40000\n"
                                + "  NATs in a row: 2\n"
                                + "  gateway 192.168.1.1: PCP, external address 100.64.1.2 (no-resources)\n"
                                + "  path: 192.168.1.1 -> 100.64.1.1 -> 198.51.100.1 (the outside address answers at hop 4)\n",
                        "  gateway 10.0.0.1: no answer (PCP no-answer)\n",
                        "  path: no router answered\n");
    }

    @Test
    void verboseAddsTheProbeNotes() {
        StringWriter text = new StringWriter();
        new TextReport(true).write(SampleReports.mixed(), new PrintWriter(text));

        assertThat(text.toString()).contains("  . 203.0.113.1:3478: no valid answer after 7 transmission(s)");
    }

    @Test
    void everyEntryEndsWithWhatItMeansInPlainWords() {
        StringWriter text = new StringWriter();
        new TextReport(false).write(SampleReports.mixed(), new PrintWriter(text));
        String[] blocks = text.toString().split("\n\n");

        // The summary, the table, then one block per entry, each ending with its meaning.
        assertThat(blocks).hasSize(2 + SampleReports.mixed().entries().size());
        for (int i = 2; i < blocks.length; i++) {
            assertThat(blocks[i].strip().lines().toList().getLast()).startsWith("  What this means: ");
        }
        assertThat(blocks[2]).contains("What this means: your router shares its public address");
        assertThat(blocks[4]).contains("UDP does not get out");
    }

    @Test
    void carrierGradeNatSaysPortForwardingCannotHelpAndWhatCan() {
        Report.Entry cgnat = SampleReports.udp(
                "eth0", "100.64.1.2", 40000, "203.0.113.10", 61000, java.util.Optional.of(false), 1, List.of());
        StringWriter text = new StringWriter();
        new TextReport(false).write(new Report(List.of(cgnat), SampleReports.FINISHED, "t"), new PrintWriter(text));

        assertThat(text.toString())
                .startsWith("Summary: carrier-grade NAT (eth0 ipv4)\n")
                .contains("port forwarding on your router cannot make this host reachable")
                .contains("ask the provider for a public IPv4 address, use IPv6, or use a relay or tunnel");
    }
}
