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
                        "wlan0 ipv4: UDP is blocked, TCP gets through (home router NAT), seen as 203.0.113.20:50001",
                        "tab\tname ipv4: nothing answered: neither UDP nor TCP gets through");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  - local address 192.168.1.2 is private"));
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains("ICMP port unreachable"));
    }

    @Test
    void verboseAddsTheProbeNotes() {
        StringWriter text = new StringWriter();
        new TextReport(true).write(SampleReports.mixed(), new PrintWriter(text));

        assertThat(text.toString()).contains("  . 203.0.113.1:3478: ICMP port unreachable");
    }
}
