package dev.natcheck.cli;

import dev.natcheck.gateway.GatewaySurvey;
import dev.natcheck.path.PathTrace;
import java.time.Duration;

/**
 * How long the gateway's word and the path probe may take: the defaults, or what the system
 * properties {@code natcheck.gateway.budget} and {@code natcheck.path.budget} say (a duration as
 * {@code --timeout} takes it, e.g. {@code -Dnatcheck.path.budget=1s}), for slow or loaded
 * machines, where a LAN gateway's answer can take longer than the defaults allow. docs/cli.md.
 */
final class Budgets {

    private Budgets() {}

    /** The gateways' minimum budget (they also get as long as the STUN probes take). */
    static Duration gateway() {
        return property("natcheck.gateway.budget", GatewaySurvey.BUDGET);
    }

    /** The path probe's budget, from the moment its socket is open. */
    static Duration path() {
        return property("natcheck.path.budget", PathTrace.DEFAULT_BUDGET);
    }

    private static Duration property(String name, Duration fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return new Converters.TimeoutConverter().convert(value.strip());
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Budgets.class)
                    .warn(
                            "-D{}={} is not a duration ({}); using {} ms",
                            name,
                            value,
                            e.getMessage(),
                            fallback.toMillis());
            return fallback;
        }
    }
}
