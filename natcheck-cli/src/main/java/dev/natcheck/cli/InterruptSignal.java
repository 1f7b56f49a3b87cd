package dev.natcheck.cli;

import sun.misc.Signal;

/** SIGINT (Ctrl-C) and SIGTERM handed to natcheck instead of the JVM's immediate exit. */
final class InterruptSignal {

    private InterruptSignal() {}

    /** Runs {@code onInterrupt} on each SIGINT; where the signal cannot be handled, the JVM's default stays. */
    static void install(Runnable onInterrupt) {
        handle("INT", onInterrupt);
    }

    /** Runs {@code onTerminate} on each SIGTERM; where the signal cannot be handled, the JVM's default stays. */
    static void installTerminate(Runnable onTerminate) {
        handle("TERM", onTerminate);
    }

    private static void handle(String signal, Runnable handler) {
        try {
            Signal.handle(new Signal(signal), received -> handler.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // -Xrs, or no such signal here: it then ends the process at once, as before.
        }
    }
}
