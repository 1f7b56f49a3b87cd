package dev.natcheck.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.natcheck.relay.RelayState.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every transition of a relay check, one row each, and every other pair refused. */
class RelayStateTest {

    /** State, event, whether an Allocate went out signed, next state. */
    static Stream<Arguments> transitions() {
        return Stream.of(
                Arguments.of(RelayState.ALLOCATING, Event.ALLOCATED, true, RelayState.CHECKING_PATH),
                Arguments.of(RelayState.ALLOCATING, Event.NOT_ALLOCATED, true, RelayState.FAILED),
                Arguments.of(RelayState.ALLOCATING, Event.NOT_ALLOCATED, false, RelayState.FAILED),
                Arguments.of(RelayState.ALLOCATING, Event.TIME_UP, true, RelayState.RELEASING),
                Arguments.of(RelayState.ALLOCATING, Event.TIME_UP, false, RelayState.FAILED),
                Arguments.of(RelayState.CHECKING_PATH, Event.PATH_CHECKED, true, RelayState.RELEASING),
                Arguments.of(RelayState.CHECKING_PATH, Event.TIME_UP, true, RelayState.RELEASING),
                Arguments.of(RelayState.CHECKING_PATH, Event.PATH_HELD, true, RelayState.HOLDING),
                Arguments.of(RelayState.HOLDING, Event.RELEASE_ASKED, true, RelayState.RELEASING),
                Arguments.of(RelayState.HOLDING, Event.TIME_UP, true, RelayState.RELEASING),
                Arguments.of(RelayState.RELEASING, Event.RELEASE_SETTLED, true, RelayState.DONE),
                Arguments.of(RelayState.RELEASING, Event.TIME_UP, true, RelayState.DONE));
    }

    @ParameterizedTest(name = "{0} --{1} (signed Allocate: {2})--> {3}")
    @MethodSource("transitions")
    void transition(RelayState from, Event event, boolean signed, RelayState to) {
        assertThat(from.next(event, signed)).isEqualTo(to);
    }

    static Stream<Arguments> refused() {
        List<Arguments> pairs = new ArrayList<>();
        for (RelayState state : RelayState.values()) {
            for (Event event : Event.values()) {
                boolean listed = transitions().anyMatch(row -> row.get()[0] == state && row.get()[1] == event);
                if (!listed) {
                    pairs.add(Arguments.of(state, event));
                }
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} refuses {1}")
    @MethodSource("refused")
    void everyOtherPairIsRefused(RelayState state, Event event) {
        assertThatThrownBy(() -> state.next(event, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(event + " in state " + state);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("terminals")
    void onlyDoneAndFailedAreTerminal(RelayState state, boolean terminal) {
        assertThat(state.terminal()).isEqualTo(terminal);
    }

    static Stream<Arguments> terminals() {
        return Stream.of(
                Arguments.of(RelayState.ALLOCATING, false),
                Arguments.of(RelayState.CHECKING_PATH, false),
                Arguments.of(RelayState.HOLDING, false),
                Arguments.of(RelayState.RELEASING, false),
                Arguments.of(RelayState.DONE, true),
                Arguments.of(RelayState.FAILED, true));
    }
}
