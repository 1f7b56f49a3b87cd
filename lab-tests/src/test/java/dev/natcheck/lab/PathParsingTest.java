package dev.natcheck.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The path tests' readers: tracepath's output and PathTraceRun's lines; these run everywhere. */
class PathParsingTest {

    private static ExecResult printed(String stdout) {
        return new ExecResult(List.of("tracepath"), 0, stdout, "", false);
    }

    /** tracepath toward the server from behind the lab's home router and carrier NAT, verbatim. */
    @Test
    void tracepathHopsInOrderAndWhereItReached() {
        Tracepath t = Tracepath.parse(printed("""
                 1?: [LOCALHOST]                      pmtu 1500
                 1:  192.168.1.1                                           0.067ms
                 1:  192.168.1.1                                           0.009ms
                 2:  100.64.1.1                                            0.032ms
                 3:  198.51.100.1                                          0.023ms
                 4:  203.0.113.10                                          0.083ms reached
                     Resume: pmtu 1500 hops 4 back 4
                """));
        assertThat(t.hops()).containsExactly("192.168.1.1", "100.64.1.1", "198.51.100.1", "203.0.113.10");
        assertThat(t.reachedAt()).hasValue(4);
    }

    @Test
    void tracepathSilentHopsAndAnAnswerAfterANoReply() {
        Tracepath t = Tracepath.parse(printed("""
                 1?: [LOCALHOST]                      pmtu 1500
                 1:  no reply
                 1:  192.168.1.1                                           0.067ms
                 2:  no reply
                 3:  198.51.100.2                                          0.060ms reached
                """));
        assertThat(t.hops()).containsExactly("192.168.1.1", "*", "198.51.100.2");
        assertThat(t.reachedAt()).hasValue(3);
    }

    @Test
    void tracepathThatNeverReached() {
        assertThat(Tracepath.parse(printed(" 1:  no reply\n     Too many hops: pmtu 1500\n"))
                        .reachedAt())
                .isEmpty();
    }

    @Test
    void aTraceLineWithEveryField() {
        PathTraceRun r = PathTraceRun.parse("status=PARTIAL hops=192.168.1.1,*,203.0.113.10 distance=unknown probes=14"
                + " elapsed_us=301234 note=hop 2 toward the server did not answer; hop 1 toward 198.51.100.2 did not"
                + " answer");
        assertThat(r.status()).isEqualTo("PARTIAL");
        assertThat(r.hops()).containsExactly("192.168.1.1", "*", "203.0.113.10");
        assertThat(r.distance()).isEmpty();
        assertThat(r.probes()).isEqualTo(14);
        assertThat(r.elapsed()).isEqualTo(Duration.ofNanos(301_234_000));
        assertThat(r.note()).startsWith("hop 2 toward the server").endsWith("did not answer");
    }

    @Test
    void aCompleteTraceLineAndASkippedOne() {
        PathTraceRun complete = PathTraceRun.parse(
                "status=COMPLETE hops=192.168.1.1,100.64.1.1,198.51.100.1 distance=2 probes=8 elapsed_us=812 note=");
        assertThat(complete.distance()).hasValue(2);
        assertThat(complete.note()).isEmpty();
        PathTraceRun skipped = PathTraceRun.parse(
                "status=SKIPPED hops=- distance=unknown probes=0 elapsed_us=3 note=path probe skipped: IPv4 only");
        assertThat(skipped.hops()).isEmpty();
        assertThat(skipped.note()).isEqualTo("path probe skipped: IPv4 only");
    }

    @Test
    void aLineOutOfOrderIsRefused() {
        assertThatThrownBy(
                        () -> PathTraceRun.parse("hops=- status=SKIPPED distance=unknown probes=0 elapsed_us=3 note="))
                .hasMessageContaining("expected status=");
    }
}
