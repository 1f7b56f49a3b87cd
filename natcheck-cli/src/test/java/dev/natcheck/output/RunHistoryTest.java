package dev.natcheck.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run history natcheck keeps in its own textfile, so that one-shot runs from cron count like --every's. */
class RunHistoryTest {

    private static final Instant EARLIER = Instant.parse("2026-01-01T00:00:00.250Z");

    @TempDir
    Path dir;

    private static Report failed() {
        return new Report(List.of(), SampleReports.FINISHED, "test");
    }

    @Test
    void aSuccessfulRunResetsTheFailuresAndIsTheLastSuccess() {
        RunHistory before = new RunHistory(Optional.of(EARLIER), 3);

        RunHistory after = before.after(SampleReports.mixed());

        assertThat(after).isEqualTo(new RunHistory(Optional.of(SampleReports.FINISHED), 0));
    }

    @Test
    void aRunThatLearnedNothingCountsOneMoreFailureAndKeepsTheLastSuccess() {
        RunHistory before = new RunHistory(Optional.of(EARLIER), 3);

        assertThat(before.after(failed())).isEqualTo(new RunHistory(Optional.of(EARLIER), 4));
        assertThat(RunHistory.NONE.after(failed())).isEqualTo(new RunHistory(Optional.empty(), 1));
    }

    @Test
    void whatTheTextfileWroteIsReadBack() throws Exception {
        Path file = dir.resolve("natcheck.prom");
        String text = PrometheusReportTest.render(
                SampleReports.mixed(), new PrometheusReport(new RunHistory(Optional.of(EARLIER), 2), Optional.empty()));
        Files.writeString(file, text);

        assertThat(RunHistory.read(file)).isEqualTo(new RunHistory(Optional.of(SampleReports.FINISHED), 0));

        Files.writeString(
                file,
                PrometheusReportTest.render(
                        failed(), new PrometheusReport(new RunHistory(Optional.of(EARLIER), 2), Optional.empty())));
        assertThat(RunHistory.read(file)).isEqualTo(new RunHistory(Optional.of(EARLIER), 3));
    }

    @Test
    void noFileOrAFileOfSomethingElseStartsAfresh() throws Exception {
        assertThat(RunHistory.read(dir.resolve("missing.prom"))).isEqualTo(RunHistory.NONE);
        assertThat(RunHistory.read(dir)).isEqualTo(RunHistory.NONE);
        Path other = Files.writeString(dir.resolve("other.prom"), "node_foo 1\n# HELP x\n\0\0binary");
        assertThat(RunHistory.read(other)).isEqualTo(RunHistory.NONE);
    }

    @Test
    void aValueThatDoesNotParseIsLeftOutNotGuessed() {
        assertThat(RunHistory.parse("""
                        natcheck_consecutive_failures -2
                        natcheck_last_success_timestamp_seconds NaN
                        """)).isEqualTo(RunHistory.NONE);
        assertThat(RunHistory.parse("""
                        natcheck_consecutive_failures 7.5
                        natcheck_last_success_timestamp_seconds 1767225600.25
                        """)).isEqualTo(new RunHistory(Optional.of(EARLIER), 0));
        assertThat(RunHistory.parse("natcheck_consecutive_failures 99999999999\n"))
                .isEqualTo(RunHistory.NONE);
    }

    @Test
    void theCountStopsAtTheLargestIntRatherThanWrapping() {
        RunHistory many = new RunHistory(Optional.empty(), Integer.MAX_VALUE);

        assertThat(many.after(failed()).consecutiveFailures()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aFileLargerThanAnyNatcheckWritesIsNotOurs() throws Exception {
        Path big = dir.resolve("big.prom");
        Files.writeString(big, "natcheck_consecutive_failures 5\n" + "#".repeat(2 << 20));

        assertThat(RunHistory.read(big)).isEqualTo(RunHistory.NONE);
    }
}
