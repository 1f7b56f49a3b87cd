package dev.natcheck.path;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The outermost NAT's distance, read from the answers toward the mapped address: one row per
 * situation, the lossy ones first among them, since under loss the reading must be unknown, never
 * a wrong number.
 */
class OutermostNatTest {

    private static final String MAPPED = "198.51.100.2";

    /** Row: answers per TTL ("dest" is the mapped address answering), distance (0: unknown), settled. */
    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("the first router owns the mapped address: one NAT", "dest dest dest", 1, true, ""),
                Arguments.of("home router then carrier NAT: the second owns it", "192.168.1.1 dest dest", 2, true, ""),
                Arguments.of("only the owner's TTL answered above it", "192.168.1.1 dest * *", 2, true, ""),
                Arguments.of("three NATs in a row", "192.168.8.1 192.168.1.1 dest", 3, true, ""),
                Arguments.of(
                        "loss: the first hop silent, so hop 2 may not be the owner",
                        "* dest dest",
                        0,
                        false,
                        "hop 1 toward 198.51.100.2 did not answer"),
                Arguments.of(
                        "loss: the carrier's answer lost, the next TTL's came back",
                        "192.168.1.1 * dest",
                        0,
                        false,
                        "hop 2 toward 198.51.100.2 did not answer"),
                Arguments.of("nothing yet", "* * *", 0, false, "hop 1 toward 198.51.100.2 did not answer"),
                Arguments.of(
                        "routers only, within every TTL probed",
                        "192.168.1.1 100.64.1.1 10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4",
                        0,
                        true,
                        "198.51.100.2 did not answer within 6 hops"),
                Arguments.of(
                        "a router says the mapped address is unreachable",
                        "192.168.1.1 !100.64.1.1",
                        0,
                        true,
                        "hop 2 (100.64.1.1) says 198.51.100.2 is unreachable"),
                Arguments.of(
                        "a router answering beyond the owner: the count is unsure",
                        "192.168.1.1 dest 10.9.9.9",
                        0,
                        true,
                        "198.51.100.2 answered at hop 2 but 10.9.9.9 answered at hop 3"),
                Arguments.of(
                        "one hop answered as router and as owner",
                        "192.168.1.1/dest dest",
                        0,
                        true,
                        "hop 1 toward 198.51.100.2 answered from more than one address"),
                Arguments.of(
                        "the owner's hop answered twice differently",
                        "192.168.1.1 dest/100.64.1.1 dest",
                        0,
                        true,
                        "hop 2 toward 198.51.100.2 answered from more than one address"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void distanceIsProvenOrUnknown(String name, String answers, int distance, boolean settled, String note) {
        OutermostNat nat = OutermostNat.read(Answers.toward(MAPPED, 6, answers.split(" ")));

        assertThat(nat.distance().orElse(0)).isEqualTo(distance);
        assertThat(nat.settled()).isEqualTo(settled);
        if (distance > 0) {
            assertThat(nat.note()).isEmpty();
        } else {
            assertThat(nat.note()).contains(note);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lossPatterns")
    void underLossTheDistanceIsRightOrUnknown(String name, String answers) {
        // The truth is 2 (a home router, then the carrier NAT owning the address); every subset of
        // answers lost must read 2 or nothing.
        OutermostNat nat = OutermostNat.read(Answers.toward(MAPPED, 6, answers.split(" ")));
        assertThat(nat.distance().orElse(2)).isEqualTo(2);
    }

    static Stream<Arguments> lossPatterns() {
        String[] truth = {"192.168.1.1", "dest", "dest", "dest"};
        Stream.Builder<Arguments> rows = Stream.builder();
        for (int lost = 0; lost < 1 << truth.length; lost++) {
            StringBuilder answers = new StringBuilder();
            for (int ttl = 0; ttl < truth.length; ttl++) {
                answers.append((lost & (1 << ttl)) != 0 ? "*" : truth[ttl]).append(' ');
            }
            rows.add(Arguments.of(
                    "lost mask " + Integer.toBinaryString(lost),
                    answers.toString().strip()));
        }
        return rows.build();
    }

    @org.junit.jupiter.api.Test
    void theHostHoldingTheMappedAddressIsNoNat() {
        assertThat(OutermostNat.noNat().distance()).hasValue(0);
        assertThat(OutermostNat.noNat().settled()).isTrue();
    }
}
