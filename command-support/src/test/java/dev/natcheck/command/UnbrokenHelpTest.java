package dev.natcheck.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnbrokenHelpTest {

    @Test
    void breaksAtSpacesOnlyAndKeepsParenthesesWhole() {
        List<String> lines = UnbrokenHelp.wrap(
                "Serve Prometheus metrics at http://ADDR:PORT/metrics (default: off, see RFC 5780).", 40, 2);

        assertThat(lines)
                .containsExactly(
                        "Serve Prometheus metrics at", "  http://ADDR:PORT/metrics", "  (default: off, see RFC 5780).");
    }

    @Test
    void aParenthesisThatFitsMovesToTheNextLineWhole() {
        assertThat(UnbrokenHelp.wrap("also the RFC 3489 NAT type (RFC 5780)", 30, 0))
                .containsExactly("also the RFC 3489 NAT type", "(RFC 5780)");
    }

    @Test
    void continuationLinesKeepTheLinesOwnIndentation() {
        assertThat(UnbrokenHelp.wrap("  e.g. --prometheus-file /var/lib/node_exporter/textfile/natcheck.prom", 51, 2))
                .containsExactly("  e.g. --prometheus-file", "    /var/lib/node_exporter/textfile/natcheck.prom");
    }

    @Test
    void aWordLongerThanALineStandsAlone() {
        assertThat(UnbrokenHelp.wrap("see /a/very/long/path/that/does/not/fit here", 12, 0))
                .containsExactly("see", "/a/very/long/path/that/does/not/fit", "here");
    }

    @Test
    void aLineThatFitsKeepsItsSpacing() {
        assertThat(UnbrokenHelp.wrap("  0  some probe learned its outside address", 80, 2))
                .containsExactly("  0  some probe learned its outside address");
    }
}
