package dev.natcheck.punch;

import dev.natcheck.relay.TurnServer;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The round of checks through TURN relays, after the direct one ({@code natcheck punch --turn}):
 * which of this side's relays it used (the fastest, when it holds any) and how it ended.
 *
 * @param relay this side's relay, the fastest it holds; empty when it holds none and only the
 *     peer's relayed candidates were checked
 * @param relayedAddress the address that relay granted this side
 * @param outcome the round's checks: the path through a relay both sides confirmed, if any
 */
public record RelayedRound(
        Optional<TurnServer> relay, Optional<InetSocketAddress> relayedAddress, PunchOutcome outcome) {

    public RelayedRound {
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(relayedAddress, "relayedAddress");
        Objects.requireNonNull(outcome, "outcome");
    }
}
