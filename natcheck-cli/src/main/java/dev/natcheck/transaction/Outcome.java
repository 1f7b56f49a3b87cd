package dev.natcheck.transaction;

import java.net.InetSocketAddress;
import java.util.Optional;

/** How one transaction ended; made by the engine (and by verdict tables), never with a null component. */
public sealed interface Outcome {

    /** It was answered. */
    record Answered(Response response) implements Outcome {}

    /**
     * No answer.
     *
     * @param complete true when every scheduled send went out and the grace passed; false when the
     *     run's deadline (or the caller) cut the transaction short, so its silence proves nothing
     */
    record Unanswered(int transmissions, boolean complete) implements Outcome {}

    /** ICMP said no (port or network unreachable) or the datagram could not be sent at all. */
    record Refused(String detail) implements Outcome {}

    /**
     * The server answered with a STUN error.
     *
     * @param response the error response itself, for what it carries besides ERROR-CODE (a
     *     REALM and NONCE to retry with, an ALTERNATE-SERVER); empty when made up by a test
     */
    record Rejected(int code, String reason, Optional<Response> response) implements Outcome {
        public Rejected(int code, String reason) {
            this(code, reason, Optional.empty());
        }
    }

    /** The answer, if this outcome is {@link Answered}. */
    default Optional<Response> answer() {
        return this instanceof Answered a ? Optional.of(a.response()) : Optional.empty();
    }

    /** True when answered from exactly {@code source}. */
    default boolean answeredFrom(InetSocketAddress source) {
        return this instanceof Answered a && a.response().source().equals(source);
    }

    /** True when no answer came although every retransmission went out. */
    default boolean silentThroughout() {
        return this instanceof Unanswered u && u.complete();
    }
}
