package dev.natcheck.punch;

import dev.natcheck.address.AddressText;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What went over the wire during the checks and when, from the moment this side had both tokens:
 * each datagram sent, each one received, and notes. Bounded: past {@link #MAX_EVENTS} events only
 * the count of those left out grows, and the birthday trick's many probes are logged only at
 * first (the counters in the outcome have every one). Used by the loop's thread only.
 */
public final class Timeline {

    /** The most events kept. */
    static final int MAX_EVENTS = 400;

    /** Which way an event went. */
    public enum Direction {
        SENT("sent"),
        RECEIVED("received"),
        NOTE("note");

        private final String wireName;

        Direction(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /**
     * One event.
     *
     * @param at time since this side had both tokens
     * @param what a short name: "check", "nomination", "probe", "answer", "request", ...
     * @param local our socket's address
     * @param remote the peer's address
     * @param detail free text for people
     */
    public record Event(
            Duration at,
            Direction direction,
            String what,
            Optional<InetSocketAddress> local,
            Optional<InetSocketAddress> remote,
            String detail) {
        public Event {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(direction, "direction");
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(local, "local");
            Objects.requireNonNull(remote, "remote");
            Objects.requireNonNull(detail, "detail");
        }

        /** "  12.3 ms  sent      check  192.168.1.2:40000 -> 198.51.100.130:40001  (detail)". */
        public String line() {
            StringBuilder b = new StringBuilder();
            // A note's "what" says no more than its direction: the text shows it once.
            b.append(String.format(
                    java.util.Locale.ROOT,
                    "%9.1f ms  %-8s  %-12s",
                    at.toNanos() / 1e6,
                    direction.wireName(),
                    direction == Direction.NOTE ? "" : what));
            if (local.isPresent() || remote.isPresent()) {
                String l = local.map(AddressText::format).orElse("?");
                String r = remote.map(AddressText::format).orElse("?");
                b.append(' ').append(direction == Direction.RECEIVED ? l + " <- " + r : l + " -> " + r);
            }
            if (!detail.isEmpty()) {
                b.append("  ").append(detail);
            }
            return b.toString();
        }
    }

    private final long originNanos;
    private final List<Event> events = new ArrayList<>();
    private int omitted;

    /** A timeline whose time 0 is {@code originNanos} on the {@link System#nanoTime()} clock. */
    public Timeline(long originNanos) {
        this.originNanos = originNanos;
    }

    public long originNanos() {
        return originNanos;
    }

    /** Time since the origin. */
    public Duration since(long nanos) {
        return Duration.ofNanos(nanos - originNanos);
    }

    void add(
            long atNanos,
            Direction direction,
            String what,
            Optional<InetSocketAddress> local,
            Optional<InetSocketAddress> remote,
            String detail) {
        if (events.size() >= MAX_EVENTS) {
            omitted++;
            return;
        }
        events.add(new Event(since(atNanos), direction, what, local, remote, detail));
    }

    void note(long atNanos, String detail) {
        add(atNanos, Direction.NOTE, "note", Optional.empty(), Optional.empty(), detail);
    }

    /** Counts an event that was not kept. */
    void omit() {
        omitted++;
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** Events not kept: beyond {@link #MAX_EVENTS}, or probes past the first few. */
    public int omitted() {
        return omitted;
    }
}
