package dev.natcheck.command;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into an orderly stop. The JVM's own handling runs the shutdown hooks
 * and then exits with status 143 (128 + SIGTERM), which systemd and scripts read as a failure;
 * handling the signal here lets main return and exit 0.
 *
 * <p>Installed before the daemon starts listening, so that a signal sent as soon as the
 * "listening" line appears is always this handler's: the stop is remembered and carried out once
 * the daemon is {@linkplain Stop#bind bound} to it.
 */
public final class StopSignals {

    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {}

    /** A stop a signal asked for, carried out by whatever is bound to it, whenever that is. */
    public static final class Stop {
        private Runnable action;
        private boolean requested;

        private Stop() {}

        /** Binds what stops the daemon; runs it at once if a signal came before. */
        public void bind(Runnable stop) {
            boolean already;
            synchronized (this) {
                action = stop;
                already = requested;
            }
            if (already) {
                stop.run();
            }
        }

        void request() {
            Runnable stop;
            synchronized (this) {
                requested = true;
                stop = action;
            }
            if (stop != null) {
                stop.run();
            }
        }
    }

    /** Handles SIGTERM and SIGINT from now on; bind the returned stop once there is something to stop. */
    public static Stop install() {
        Stop stop = new Stop();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    log.info("SIG{} received: stopping", signal.getName());
                    stop.request();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // e.g. -Xrs, or a platform without the signal: the shutdown hook still stops the server.
                log.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        return stop;
    }
}
