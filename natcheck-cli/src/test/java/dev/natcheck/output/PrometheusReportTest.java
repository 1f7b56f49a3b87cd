package dev.natcheck.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
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
        return render(report, new PrometheusReport());
    }

    static String render(Report report, PrometheusReport writer) {
        StringWriter text = new StringWriter();
        writer.write(report, new PrintWriter(text));
        return text.toString();
    }

    /** Every metric family natcheck writes, as a fleet's queries may name them (docs/operations.md). */
    static final List<String> FAMILIES = List.of(
            "natcheck_verdict_info",
            "natcheck_stun_rtt_seconds",
            "natcheck_udp_reachable",
            "natcheck_nat_layers",
            "natcheck_nat_mapping_info",
            "natcheck_nat_filtering_info",
            "natcheck_last_run_timestamp_seconds",
            "natcheck_last_success_timestamp_seconds",
            "natcheck_consecutive_failures",
            "natcheck_run_duration_seconds",
            "natcheck_build_info");

    /** The fullest textfile: behaviour findings, a history, a run duration. */
    static String renderEverything() {
        return render(
                SampleReports.withBehavior(),
                new PrometheusReport(
                        new RunHistory(Optional.of(SampleReports.FINISHED.minusSeconds(600)), 2),
                        Optional.of(SampleReports.FINISHED.minusMillis(1250))));
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
                        "# TYPE natcheck_nat_layers gauge",
                        "natcheck_nat_layers{interface=\"eth0\",family=\"ipv4\"} 1",
                        "natcheck_nat_layers{interface=\"eth0\",family=\"ipv6\"} 0",
                        "natcheck_last_run_timestamp_seconds 1767323045.678",
                        "natcheck_build_info{version=\"1.2.3-test\"} 1");
        // Nothing answered: the NAT count is unknown, so no sample rather than a made-up one.
        assertThat(lines).noneSatisfy(l -> assertThat(l).startsWith("natcheck_nat_layers{interface=\"tab"));
        assertThat(render(SampleReports.nat444()))
                .contains("natcheck_nat_layers{interface=\"eth0\",family=\"ipv4\"} 2\n");
        // Only UDP answers have a STUN round-trip time.
        assertThat(lines.stream().filter(l -> l.startsWith("natcheck_stun_rtt_seconds{")))
                .hasSize(2);
        // Every metric family is declared once, before its samples.
        for (String name : List.of(
                "natcheck_verdict_info",
                "natcheck_stun_rtt_seconds",
                "natcheck_udp_reachable",
                "natcheck_nat_layers",
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
    void aSuccessfulRunIsTheLastSuccessAndEndsTheFailures() {
        String text = render(
                SampleReports.mixed(),
                new PrometheusReport(
                        new RunHistory(Optional.of(SampleReports.FINISHED.minusSeconds(600)), 4),
                        Optional.of(SampleReports.FINISHED.minusMillis(2500))));

        assertThat(text.lines())
                .contains(
                        "natcheck_last_success_timestamp_seconds 1767323045.678",
                        "natcheck_consecutive_failures 0",
                        "natcheck_run_duration_seconds 2.5");
    }

    @Test
    void aRunThatLearnedNothingCountsAFailureAndKeepsTheEarlierSuccess() {
        Report nothing = new Report(List.of(), SampleReports.FINISHED, "1.2.3-test");

        String text = render(
                nothing,
                new PrometheusReport(
                        new RunHistory(Optional.of(SampleReports.FINISHED.minusSeconds(600)), 4), Optional.empty()));

        assertThat(text.lines())
                .contains(
                        "natcheck_last_run_timestamp_seconds 1767323045.678",
                        "natcheck_last_success_timestamp_seconds 1767322445.678",
                        "natcheck_consecutive_failures 5")
                .noneMatch(l -> l.startsWith("natcheck_verdict_info{") || l.startsWith("natcheck_run_duration"));
    }

    @Test
    void withoutAnySuccessThereIsNoLastSuccessSample() {
        String text = render(new Report(List.of(), SampleReports.FINISHED, "1.2.3-test"));

        assertThat(text).doesNotContain("natcheck_last_success_timestamp_seconds");
        assertThat(text.lines()).contains("natcheck_consecutive_failures 1");
    }

    @Test
    void behaviourFindingsAreInfoMetricsWithTheBriefOutputsWords() {
        String text = renderEverything();

        assertThat(text.lines())
                .contains(
                        "natcheck_nat_mapping_info{interface=\"eth0\",family=\"ipv4\",mapping=\"endpoint-independent\"} 1",
                        "natcheck_nat_filtering_info{interface=\"eth0\",family=\"ipv4\",filtering=\"address-and-port-dependent\"} 1",
                        "natcheck_nat_mapping_info{interface=\"eth1\",family=\"ipv4\",mapping=\"not-supported-by-server\"} 1",
                        "natcheck_nat_filtering_info{interface=\"wlan0\",family=\"ipv4\",filtering=\"no-udp-answer\"} 1");
        assertThat(render(SampleReports.mixed())).doesNotContain("natcheck_nat_mapping_info");
    }

    /** Labels are interface, family and natcheck's own words: never an address or a server's name. */
    @Test
    void noLabelCarriesAnAddressOrAnythingUnbounded() {
        Pattern label = Pattern.compile("([a-z_]+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
        for (String line :
                renderEverything().lines().filter(l -> !l.startsWith("#")).toList()) {
            Matcher m = label.matcher(line);
            while (m.find()) {
                assertThat(m.group(1))
                        .as(line)
                        .isIn("interface", "family", "verdict", "nat", "mapping", "filtering", "version");
                assertThat(m.group(2)).as(line).doesNotContainPattern("\\d+\\.\\d+\\.\\d+\\.\\d+|:[0-9a-f]*:");
            }
        }
    }

    @Test
    void everyFamilyIsDeclaredOnceBeforeItsSamples() {
        List<String> lines = renderEverything().lines().toList();

        for (String name : FAMILIES) {
            assertThat(lines).as(name).containsOnlyOnce("# TYPE " + name + " gauge");
            int declared = lines.indexOf("# TYPE " + name + " gauge");
            assertThat(lines.subList(0, declared)).noneMatch(l -> l.startsWith(name + " ") || l.startsWith(name + "{"));
        }
        assertThat(lines.stream().filter(l -> l.startsWith("# TYPE "))).hasSize(FAMILIES.size());
    }

    /** {@code promtool check metrics}, Prometheus' own linter, on the fullest textfile natcheck writes. */
    @Test
    void promtoolAcceptsTheTextfile() throws Exception {
        Promtool.assertAccepts(renderEverything(), "check", "metrics");
        Promtool.assertAccepts(render(SampleReports.mixed()), "check", "metrics");
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
