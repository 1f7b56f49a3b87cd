package dev.natcheck.behavior;

import java.util.Objects;
import java.util.Optional;

/**
 * One behaviour finding: a measured value, or why there is none. There is never a guess: a
 * server that cannot run a test, or answers lost on the way, give {@link Unknown} with the reason.
 */
public sealed interface Finding<T> {

    /** The measured value, empty when {@link Unknown}. */
    Optional<T> value();

    /** Why a finding has no value. */
    enum Reason {
        /** The server offers no usable OTHER-ADDRESS or does not honour CHANGE-REQUEST. */
        NOT_SUPPORTED_BY_SERVER("not supported by server"),
        /** Answers needed for a verdict did not come, and silence alone proves nothing. */
        INCONCLUSIVE("inconclusive"),
        /** Nothing answered over UDP, so no test could run. */
        NO_UDP_ANSWER("no UDP answer"),
        /** The test was not run (not asked for). */
        NOT_MEASURED("not measured");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /** "not supported by server": what text output shows. */
        public String text() {
            return text;
        }

        /** "not-supported-by-server", "no-udp-answer": the form without spaces, for the brief output's columns. */
        public String token() {
            return text.replace(' ', '-').toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A value the tests established. */
    record Measured<T>(T measured) implements Finding<T> {
        public Measured {
            Objects.requireNonNull(measured, "measured");
        }

        @Override
        public Optional<T> value() {
            return Optional.of(measured);
        }
    }

    /** No value, for {@code reason}; {@code detail} says what exactly was missing. */
    record Unknown<T>(Reason reason, String detail) implements Finding<T> {
        public Unknown {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public Optional<T> value() {
            return Optional.empty();
        }
    }

    static <T> Finding<T> measured(T value) {
        return new Measured<>(value);
    }

    static <T> Finding<T> unknown(Reason reason, String detail) {
        return new Unknown<>(reason, detail);
    }

    /** True when a value was measured. */
    default boolean isMeasured() {
        return this instanceof Measured;
    }

    /** This finding's reason for having no value, or empty when measured. */
    default Optional<Reason> missingReason() {
        return this instanceof Unknown<T> u ? Optional.of(u.reason()) : Optional.empty();
    }

    /** The same reason for a finding of another type (a derived finding inherits why it is missing). */
    default <U> Finding<U> unknownAs() {
        if (this instanceof Unknown<T> u) {
            return new Unknown<>(u.reason(), u.detail());
        }
        throw new IllegalStateException("finding is measured: " + this);
    }
}
