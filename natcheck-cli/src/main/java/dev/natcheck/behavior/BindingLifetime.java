package dev.natcheck.behavior;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * RFC 5780 section 4.6: how long a NAT binding survives without traffic, bracketed by the idle
 * times tested.
 *
 * @param aliveAfter the longest idle time after which the binding still delivered an answer
 * @param goneAfter the shortest idle time after which it no longer did
 * @param longestTested the longest idle time tested with a conclusive result
 */
public record BindingLifetime(Optional<Duration> aliveAfter, Optional<Duration> goneAfter, Duration longestTested) {

    public BindingLifetime {
        Objects.requireNonNull(aliveAfter, "aliveAfter");
        Objects.requireNonNull(goneAfter, "goneAfter");
        Objects.requireNonNull(longestTested, "longestTested");
    }

    /** One evidence line. */
    public String describe() {
        if (aliveAfter.isEmpty() && goneAfter.isEmpty()) {
            return "binding lifetime: no idle time gave a conclusive answer";
        }
        if (goneAfter.isEmpty()) {
            return "binding lifetime: still open after " + seconds(aliveAfter.get()) + " idle, the longest tested";
        }
        if (aliveAfter.isEmpty()) {
            return "binding lifetime: already gone after " + seconds(goneAfter.get()) + " idle, the shortest tested";
        }
        return "binding lifetime: still open after " + seconds(aliveAfter.get()) + " idle, gone after "
                + seconds(goneAfter.get());
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
