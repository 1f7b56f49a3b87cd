package dev.natcheck.punch;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the connectivity checks ended, seen from one side.
 *
 * @param path the direct path both sides confirmed; empty when none was
 * @param confirmedAfter time from having both tokens to the confirmation; empty without a path
 * @param rtt round trips measured on the path (checks answered at their first send only)
 * @param ignored datagrams that did not count, by why
 * @param counts what went over the wire
 * @param timeline what was sent and received, when
 * @param ending one line: how it ended and why
 */
public record PunchOutcome(
        Optional<Path> path,
        Optional<Duration> confirmedAfter,
        List<Duration> rtt,
        Map<PeerRequests.Reason, Integer> ignored,
        Counts counts,
        Timeline timeline,
        String ending) {

    public PunchOutcome {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(confirmedAfter, "confirmedAfter");
        rtt = List.copyOf(rtt);
        EnumMap<PeerRequests.Reason, Integer> all = new EnumMap<>(PeerRequests.Reason.class);
        for (PeerRequests.Reason reason : PeerRequests.Reason.values()) {
            all.put(reason, ignored.getOrDefault(reason, 0));
        }
        ignored = Map.copyOf(all);
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(ending, "ending");
    }

    /**
     * The path found: our socket, the peer's address as it reached us, where that address came
     * from, and whether we nominated it (the offer side does) or the peer did.
     */
    public record Path(
            InetSocketAddress local, InetSocketAddress remote, CandidateType remoteType, boolean weNominated) {
        public Path {
            Objects.requireNonNull(local, "local");
            Objects.requireNonNull(remote, "remote");
            Objects.requireNonNull(remoteType, "remoteType");
        }
    }

    /**
     * Datagrams over the wire during the checks.
     *
     * @param checksSent check requests sent, retransmissions included, probes and port openers not
     * @param probesSent birthday probes to random ports of the peer
     * @param portsOpened sockets opened for the birthday trick on this (symmetric) side
     * @param checksAnswered the peer's checks answered
     * @param answersReceived answers to our checks that counted
     */
    public record Counts(int checksSent, int probesSent, int portsOpened, int checksAnswered, int answersReceived) {}

    /** True when a direct path was confirmed. */
    public boolean found() {
        return path.isPresent();
    }
}
