package dev.natcheck.command;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into an orderly stop. The JVM's own handling runs the shutdown hooks
 * and then exits with status 143 (128 + SIGTERM), which systemd and scripts read as a failure;
 * handling the signal here lets main return and exit 0.
 */
public final class StopSignals {

    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {}

    public static void install(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    log.info("SIG{} received: stopping", signal.getName());
                    stop.run();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // e.g. -Xrs, or a platform without the signal: the shutdown hook still stops the server.
                log.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }
}
