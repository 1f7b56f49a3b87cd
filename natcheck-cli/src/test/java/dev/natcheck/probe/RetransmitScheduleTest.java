package dev.natcheck.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetransmitScheduleTest {

    @Test
    void doublesTheRtoAfterEveryTransmissionAsRfc8489Says() {
        // A cap above the largest interval (16 s) leaves the RFC's plain doubling.
        RetransmitSchedule schedule = new RetransmitSchedule(Duration.ofMillis(500), 7, Duration.ofSeconds(32));

        // RFC 8489 section 6.2.1: with RTO 500 ms, requests at 0, 500, 1500, 3500, 7500, 15500, 31500 ms.
        assertThat(java.util.stream.IntStream.range(0, 8)
                        .mapToLong(n -> schedule.sendOffsetNanos(n) < 0 ? -1 : schedule.sendOffsetNanos(n) / 1_000_000))
                .containsExactly(0L, 500L, 1500L, 3500L, 7500L, 15500L, 31500L, -1L);
    }

    @ParameterizedTest(name = "budget {0} ms -> sends at {1} ms")
    @CsvSource(
            delimiter = ';',
            value = {
                // 3 s, the UDP share of the default 5 s timeout: 375 ms RTO, interval capped at 3000/7 ms.
                "3000; 0 375 803 1232 1660 2089 2517",
                // Long budget: the RFC's doubling until the cap (40000/7 ms) stops it.
                "40000; 0 500 1500 3500 7500 13214 18928",
                "800; 0 100 214 328 442 557 671"
            })
    void fitsAllRcSendsInsideTheBudget(long budgetMillis, String offsets) {
        RetransmitSchedule schedule = RetransmitSchedule.forBudget(Duration.ofMillis(budgetMillis));
        long[] expected = java.util.Arrays.stream(offsets.split(" "))
                .mapToLong(Long::parseLong)
                .toArray();

        assertThat(java.util.stream.IntStream.range(0, 7)
                        .mapToLong(n -> schedule.sendOffsetNanos(n) / 1_000_000)
                        .toArray())
                .containsExactly(expected);
        assertThat(schedule.sendOffsetNanos(6))
                .isLessThan(Duration.ofMillis(budgetMillis).toNanos());
        assertThat(schedule.sendOffsetNanos(7)).isEqualTo(-1);
    }

    @ParameterizedTest(name = "budget {0} ms -> RTO {1} ms")
    @CsvSource({"10000, 500", "3000, 375", "800, 100", "100, 20"})
    void scalesTheInitialRtoToTheBudget(long budgetMillis, long rtoMillis) {
        assertThat(RetransmitSchedule.forBudget(Duration.ofMillis(budgetMillis)).initialRto())
                .isEqualTo(Duration.ofMillis(rtoMillis));
    }
}
