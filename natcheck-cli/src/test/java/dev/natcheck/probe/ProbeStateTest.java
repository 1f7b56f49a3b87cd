package dev.natcheck.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The transition table of docs/design.md §2, one transition per case, and everything else refused. */
class ProbeStateTest {

    private static final Map<ProbeState, Map<ProbeEvent, ProbeState>> TABLE = Map.of(
            ProbeState.UDP_STUN,
                    Map.of(
                            ProbeEvent.BINDING_OK, ProbeState.CLASSIFY,
                            ProbeEvent.UDP_TIMEOUT, ProbeState.TCP_ECHO,
                            ProbeEvent.ICMP_UNREACHABLE, ProbeState.TCP_ECHO,
                            ProbeEvent.STUN_UNUSABLE, ProbeState.TCP_ECHO),
            ProbeState.TCP_ECHO,
                    Map.of(
                            ProbeEvent.ECHO_OK, ProbeState.CLASSIFY,
                            ProbeEvent.TCP_TIMEOUT, ProbeState.FAIL_BLOCKED,
                            ProbeEvent.TCP_REFUSED, ProbeState.FAIL_BLOCKED,
                            ProbeEvent.ECHO_MALFORMED, ProbeState.FAIL_BLOCKED));

    static Stream<Arguments> transitions() {
        return TABLE.entrySet().stream()
                .flatMap(from -> from.getValue().entrySet().stream()
                        .map(e -> Arguments.of(from.getKey(), e.getKey(), e.getValue())));
    }

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @MethodSource("transitions")
    void followsTheDesignTable(ProbeState from, ProbeEvent event, ProbeState to) {
        assertThat(from.next(event)).isEqualTo(to);
    }

    static Stream<Arguments> forbidden() {
        return Stream.of(ProbeState.values())
                .flatMap(state -> Stream.of(ProbeEvent.values())
                        .filter(event -> !TABLE.getOrDefault(state, Map.of()).containsKey(event))
                        .map(event -> Arguments.of(state, event)));
    }

    @ParameterizedTest(name = "{0} refuses {1}")
    @MethodSource("forbidden")
    void refusesEveryOtherTransition(ProbeState from, ProbeEvent event) {
        assertThatThrownBy(() -> from.next(event))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(from.name())
                .hasMessageContaining(event.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("states")
    void onlyClassifyAndFailBlockedAreTerminal(ProbeState state) {
        Set<ProbeState> terminal = EnumSet.of(ProbeState.CLASSIFY, ProbeState.FAIL_BLOCKED);
        assertThat(state.isTerminal()).isEqualTo(terminal.contains(state));
    }

    static Stream<ProbeState> states() {
        return Stream.of(ProbeState.values());
    }
}
