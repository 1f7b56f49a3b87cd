package dev.natcheck.relay;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one relay's check found.
 *
 * @param server the relay as named
 * @param address the address it resolved to, empty when it did not resolve
 * @param result the verdict
 * @param detail one line saying what happened, for people
 * @param local this host's address and port toward the relay
 * @param mapped this host as the relay saw it (XOR-MAPPED-ADDRESS of the Allocate success)
 * @param relayed the relayed address it granted
 * @param lifetimeSeconds the allocation's lifetime as granted, 0 without one
 * @param allocation time from the first Allocate to its success, the 401 round and, over TCP, the
 *     connection included
 * @param serverRtt the round trip to the relay itself: the successful Allocate's last round, when
 *     it took one send
 * @param rtt round trips through the relay (sent from the relayed address to itself and back), one
 *     per echo that came back; each echo is sent once, so each is exact
 * @param echoesSent echoes sent through the relay (3 a wave, a new wave only when none came back)
 * @param echoesBack echoes that came back
 * @param channelBound whether a channel to the relayed address was bound (ChannelData works)
 * @param release what became of the allocation
 * @param evidence what else was seen, for {@code -v} and JSON
 */
public record RelayOutcome(
        TurnServer server,
        Optional<InetSocketAddress> address,
        RelayResult result,
        String detail,
        Optional<InetSocketAddress> local,
        Optional<InetSocketAddress> mapped,
        Optional<InetSocketAddress> relayed,
        long lifetimeSeconds,
        Optional<Duration> allocation,
        Optional<Duration> serverRtt,
        List<Duration> rtt,
        int echoesSent,
        int echoesBack,
        boolean channelBound,
        Release release,
        List<String> evidence) {

    public RelayOutcome {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(detail, "detail");
        rtt = List.copyOf(rtt);
        evidence = List.copyOf(evidence);
    }

    /** A relay whose name did not resolve: nothing was sent. */
    static RelayOutcome unresolved(TurnServer server, String detail) {
        return new RelayOutcome(
                server,
                Optional.empty(),
                RelayResult.UNRESOLVED,
                detail,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                0,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                0,
                0,
                false,
                Release.NOTHING_ALLOCATED,
                List.of());
    }

    /** The shortest round trip through the relay, the figure relays are ranked by. */
    public Optional<Duration> bestRtt() {
        return rtt.stream().min(Duration::compareTo);
    }
}
