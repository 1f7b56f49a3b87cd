package dev.natcheck.cli;

import sun.misc.Signal;

/** SIGINT (Ctrl-C) handed to natcheck instead of the JVM's immediate exit. */
final class InterruptSignal {

    private InterruptSignal() {}

    /** Runs {@code onInterrupt} on each SIGINT; where the signal cannot be handled, the JVM's default stays. */
    static void install(Runnable onInterrupt) {
        try {
            Signal.handle(new Signal("INT"), signal -> onInterrupt.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // -Xrs, or no SIGINT here: Ctrl-C then ends the process at once, as before.
        }
    }
}
