package dev.natcheck.behavior;

import static dev.natcheck.behavior.Outcomes.LOCAL;
import static dev.natcheck.behavior.Outcomes.PRIMARY;
import static dev.natcheck.behavior.Outcomes.cutShort;
import static dev.natcheck.behavior.Outcomes.refused;
import static dev.natcheck.behavior.Outcomes.silent;
import static dev.natcheck.behavior.Outcomes.sock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.behavior.Finding.Reason;
import dev.natcheck.transaction.Outcome;
import dev.natcheck.transaction.Response;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 5780 sections 3.4 (hairpin) and 3.6 (ALG). */
class HairpinAndAlgRuleTest {

    private static final InetSocketAddress MAPPED = sock("198.51.100.2", 40000);

    static Stream<Arguments> hairpinRows() {
        Outcome back = new Outcome.Answered(Outcomes.binding(
                sock("198.51.100.2", 40001), LOCAL, Optional.empty(), Optional.empty(), Optional.empty()));
        return Stream.of(
                Arguments.of("came back", back, false, true, null),
                Arguments.of("ICMP refusal", refused(), false, false, null),
                Arguments.of("silent while others answered", silent(), true, false, null),
                Arguments.of("silent and nothing else answered", silent(), false, null, Reason.INCONCLUSIVE),
                Arguments.of("cut short", cutShort(), true, null, Reason.INCONCLUSIVE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hairpinRows")
    void hairpin(String name, Outcome outcome, boolean alive, Boolean expected, Reason missing) {
        List<String> evidence = new ArrayList<>();

        Finding<Boolean> hairpin = HairpinRule.decide(
                new HairpinRule.Observed(Optional.of(MAPPED), Optional.of(outcome), alive), evidence);

        assertThat(hairpin.value()).isEqualTo(Optional.ofNullable(expected));
        assertThat(hairpin.missingReason()).isEqualTo(Optional.ofNullable(missing));
        assertThat(evidence).singleElement().asString().startsWith("hairpin: ");
    }

    @Test
    void hairpinWithoutAMappedAddressIsNotTested() {
        Finding<Boolean> hairpin = HairpinRule.decide(
                new HairpinRule.Observed(Optional.empty(), Optional.empty(), true), new ArrayList<>());

        assertThat(hairpin.missingReason()).contains(Reason.INCONCLUSIVE);
    }

    private static Response answer(Optional<InetSocketAddress> xor, Optional<InetSocketAddress> plain) {
        return Outcomes.binding(PRIMARY, LOCAL, xor, plain, Optional.empty());
    }

    @Test
    void algWhenMappedAddressIsRewritten() {
        List<String> evidence = new ArrayList<>();
        Finding<Boolean> alg = AlgRule.decide(
                List.of(
                        answer(Optional.of(MAPPED), Optional.of(MAPPED)),
                        answer(Optional.of(MAPPED), Optional.of(LOCAL))),
                evidence);

        assertThat(alg.value()).contains(true);
        assertThat(evidence).singleElement().asString().contains("MAPPED-ADDRESS 192.168.1.2:50000 differs");
    }

    @Test
    void noAlgWhenBothAttributesAgree() {
        Finding<Boolean> alg =
                AlgRule.decide(List.of(answer(Optional.of(MAPPED), Optional.of(MAPPED))), new ArrayList<>());

        assertThat(alg.value()).contains(false);
    }

    @Test
    void algUnknownWhenTheServerSendsOnlyXorMappedAddress() {
        Finding<Boolean> alg =
                AlgRule.decide(List.of(answer(Optional.of(MAPPED), Optional.empty())), new ArrayList<>());

        assertThat(alg.missingReason()).contains(Reason.NOT_SUPPORTED_BY_SERVER);
    }
}
