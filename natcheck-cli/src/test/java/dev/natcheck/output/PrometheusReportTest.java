package dev.natcheck.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusReportTest {

    /** A sample line of the text exposition format: name, optional labels, a float value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*})? -?[0-9]+(\\.[0-9]+)?");

    @TempDir
    Path dir;

    static String render(Report report) {
        StringWriter text = new StringWriter();
        new PrometheusReport().write(report, new PrintWriter(text));
        return text.toString();
    }

    @Test
    void writesTheTextfileFormat() {
        String text = render(SampleReports.mixed());
        List<String> lines = text.lines().toList();

        assertThat(text).endsWith("\n");
        assertThat(lines)
                .allSatisfy(line -> assertThat(line.startsWith("# HELP ")
                                || line.startsWith("# TYPE ")
                                || SAMPLE.matcher(line).matches())
                        .as(line)
                        .isTrue());
        assertThat(lines)
                .contains(
                        "# TYPE natcheck_verdict_info gauge",
                        "natcheck_verdict_info{interface=\"eth0\",family=\"ipv4\",verdict=\"CPE_NAT\",nat=\"CPE\"} 1",
                        "natcheck_verdict_info{interface=\"tab\tname\",family=\"ipv4\",verdict=\"BLOCKED\",nat=\"UNKNOWN\"} 1",
                        "natcheck_stun_rtt_seconds{interface=\"eth0\",family=\"ipv4\"} 0.0004",
                        "natcheck_udp_reachable{interface=\"eth0\",family=\"ipv4\"} 1",
                        "natcheck_udp_reachable{interface=\"wlan0\",family=\"ipv4\"} 0",
                        "natcheck_last_run_timestamp_seconds 1767323045.678",
                        "natcheck_build_info{version=\"1.2.3-test\"} 1");
        // Only UDP answers have a STUN round-trip time.
        assertThat(lines.stream().filter(l -> l.startsWith("natcheck_stun_rtt_seconds{")))
                .hasSize(2);
        // Every metric family is declared once, before its samples.
        for (String name : List.of(
                "natcheck_verdict_info",
                "natcheck_stun_rtt_seconds",
                "natcheck_udp_reachable",
                "natcheck_last_run_timestamp_seconds",
                "natcheck_build_info")) {
            assertThat(lines.stream().filter(l -> l.equals("# TYPE " + name + " gauge")))
                    .hasSize(1);
            int declared = lines.indexOf("# TYPE " + name + " gauge");
            assertThat(lines.subList(0, declared))
                    .noneSatisfy(l -> assertThat(l).startsWith(name + " ").startsWith(name + "{"));
        }
    }

    @Test
    void escapesLabelValues() {
        assertThat(PrometheusReport.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    }

    @Test
    void atomicWriteReplacesTheFileReadablyAndLeavesNoTemporaryBehind() throws Exception {
        Path target = dir.resolve("natcheck.prom");
        Files.writeString(target, "old\n");

        AtomicFile.write(target, render(SampleReports.mixed()));

        assertThat(Files.readString(target)).startsWith("# HELP natcheck_verdict_info");
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }
}
