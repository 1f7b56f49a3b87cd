package dev.natcheck.behavior;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/** How one transaction ended. */
public sealed interface Outcome {

    /** It was answered. */
    record Answered(Answer received) implements Outcome {
        public Answered {
            Objects.requireNonNull(received, "received");
        }
    }

    /**
     * No answer.
     *
     * @param complete true when every scheduled send went out and the grace passed; false when the
     *     run's deadline (or a switch to another server) cut the transaction short, so its
     *     silence proves nothing
     */
    record Unanswered(int transmissions, boolean complete) implements Outcome {}

    /** ICMP said no (port or network unreachable) or the datagram could not be sent at all. */
    record Refused(String detail) implements Outcome {
        public Refused {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** The server answered with a STUN error. */
    record Rejected(int code, String reason) implements Outcome {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The answer, if this outcome is {@link Answered}. */
    default Optional<Answer> answer() {
        return this instanceof Answered a ? Optional.of(a.received()) : Optional.empty();
    }

    /** True when answered from exactly {@code source}. */
    default boolean answeredFrom(InetSocketAddress source) {
        return this instanceof Answered a && a.received().source().equals(source);
    }

    /** True when no answer came although every retransmission went out. */
    default boolean silentThroughout() {
        return this instanceof Unanswered u && u.complete();
    }
}
