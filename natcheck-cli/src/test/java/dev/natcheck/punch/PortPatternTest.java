package dev.natcheck.punch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The port pattern of one socket's mappings, one row per case. */
class PortPatternTest {

    record Row(String name, List<Integer> ports, PortPattern expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("nothing answered", List.of(), PortPattern.UNKNOWN),
                new Row("one answer tells nothing", List.of(40000), PortPattern.UNKNOWN),
                new Row(
                        "one mapping for all",
                        List.of(40000, 40000, 40000, 40000),
                        new PortPattern(PortAllocation.REUSED, 0)),
                new Row(
                        "counting by one",
                        List.of(20000, 20001, 20002, 20003),
                        new PortPattern(PortAllocation.SEQUENTIAL, 1)),
                new Row("counting by two", List.of(20000, 20002, 20004), new PortPattern(PortAllocation.SEQUENTIAL, 2)),
                new Row(
                        "counting by one with another host taking a port in between",
                        List.of(20000, 20001, 20003, 20004),
                        new PortPattern(PortAllocation.SEQUENTIAL, 1)),
                new Row("counting down", List.of(30010, 30009, 30008), new PortPattern(PortAllocation.SEQUENTIAL, -1)),
                new Row(
                        "steps of 16 still count",
                        List.of(1000, 1016, 1032),
                        new PortPattern(PortAllocation.SEQUENTIAL, 16)),
                new Row("a step of 17 does not", List.of(1000, 1017, 1034), new PortPattern(PortAllocation.RANDOM, 0)),
                new Row("random", List.of(31404, 8270, 59123, 40001), new PortPattern(PortAllocation.RANDOM, 0)),
                new Row("up then down", List.of(20000, 20001, 20000), new PortPattern(PortAllocation.RANDOM, 0)),
                new Row(
                        "one repeated among new ones",
                        List.of(20000, 20000, 20001),
                        new PortPattern(PortAllocation.RANDOM, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void observesThePattern(Row row) {
        assertThat(PortPattern.observe(row.ports())).isEqualTo(row.expected());
    }

    @Test
    void predictsTheNextPortsOfACountingNatOnly() {
        assertThat(new PortPattern(PortAllocation.SEQUENTIAL, 2).predictAfter(20004, 3))
                .containsExactly(20006, 20008, 20010);
        assertThat(new PortPattern(PortAllocation.SEQUENTIAL, 1).predictAfter(65534, 3))
                .containsExactly(65535);
        assertThat(new PortPattern(PortAllocation.RANDOM, 0).predictAfter(20004, 3))
                .isEmpty();
    }
}
