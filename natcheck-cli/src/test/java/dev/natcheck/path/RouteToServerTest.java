package dev.natcheck.path;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The hops toward the server, read from the answers: one row per situation. */
class RouteToServerTest {

    private static final String SERVER = "203.0.113.10";

    /** Row: answers per TTL, then the hops expected ("*" silent), the end TTL (0: none), complete. */
    static Stream<Arguments> rows() {
        return Stream.of(
                row(
                        "home router behind a carrier NAT: up to the first public hop",
                        "192.168.1.1 100.64.1.1 198.51.100.1 203.0.113.1 dest",
                        "192.168.1.1 100.64.1.1 198.51.100.1",
                        3,
                        true),
                row(
                        "one home router",
                        "192.168.1.1 198.51.100.1 203.0.113.1 dest",
                        "192.168.1.1 198.51.100.1",
                        2,
                        true),
                row(
                        "a public address on the host: the first hop is public",
                        "198.51.100.1 dest",
                        "198.51.100.1",
                        1,
                        true),
                row(
                        "later TTLs not answered yet change nothing",
                        "192.168.1.1 198.51.100.1 * * *",
                        "192.168.1.1 198.51.100.1",
                        2,
                        true),
                row(
                        "a silent hop before the public one: partial",
                        "192.168.1.1 * 198.51.100.1",
                        "192.168.1.1 * 198.51.100.1",
                        3,
                        false),
                row(
                        "no public hop answered yet: the hops so far, partial",
                        "192.168.1.1 100.64.1.1 * *",
                        "192.168.1.1 100.64.1.1",
                        0,
                        false),
                row("nothing answered", "* * *", "", 0, false),
                row(
                        "the server reached through private routers only",
                        "10.0.0.1 10.1.0.1 dest",
                        "10.0.0.1 10.1.0.1 " + SERVER,
                        3,
                        true),
                row(
                        "a router that says unreachable ends the path",
                        "192.168.1.1 !100.64.1.1 198.51.100.1",
                        "192.168.1.1 100.64.1.1",
                        2,
                        true),
                row(
                        "two answers for one hop: partial",
                        "192.168.1.1/192.168.7.1 198.51.100.1",
                        "192.168.1.1 198.51.100.1",
                        2,
                        false),
                row(
                        "a carrier NAT answering from its public side is the first public hop",
                        "192.168.1.1 198.51.100.2 198.51.100.1",
                        "192.168.1.1 198.51.100.2",
                        2,
                        true));
    }

    private static Arguments row(String name, String answers, String hops, int end, boolean complete) {
        return Arguments.of(name, answers, hops, end, complete);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void readsTheHopsUpToTheFirstPublicOne(String name, String answers, String hops, int end, boolean complete) {
        RouteToServer route = RouteToServer.read(Answers.toward(SERVER, 10, answers.split(" ")));

        List<String> expected = hops.isEmpty() ? List.of() : Arrays.asList(hops.split(" "));
        assertThat(route.hops())
                .extracting(h -> h.address().map(a -> a.getHostAddress()).orElse("*"))
                .containsExactlyElementsOf(expected);
        assertThat(route.hops())
                .extracting(Hop::ttl)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, expected.size())
                        .boxed()
                        .toList());
        assertThat(route.end().orElse(0)).isEqualTo(end);
        assertThat(route.complete()).isEqualTo(complete);
        if (!complete) {
            assertThat(route.notes()).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void notesNameTheSilentHop(String name, String answers, String hops, int end, boolean complete) {
        RouteToServer route = RouteToServer.read(Answers.toward(SERVER, 10, answers.split(" ")));
        if (hops.contains("*")) {
            assertThat(route.notes()).contains("hop 2 toward the server did not answer");
        }
        if (end == 0) {
            assertThat(route.notes()).anyMatch(n -> n.startsWith("no public hop toward the server"));
        }
    }
}
