package dev.natcheck.cli;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While open, SIGINT (Ctrl-C) and SIGTERM interrupt one thread instead of ending the JVM (or
 * whatever handler was there, such as {@link InterruptSignal}'s), so a command can finish what
 * must not be left behind (a TURN allocation's release) and print what it knows; closing
 * restores the handlers that were there. A second signal interrupts again.
 */
final class InterruptOnSignal implements AutoCloseable {

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private volatile int received;

    private InterruptOnSignal() {}

    /** Interrupts {@code thread} on SIGINT or SIGTERM until closed. */
    static InterruptOnSignal interrupting(Thread thread) {
        InterruptOnSignal stop = new InterruptOnSignal();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal signal = new Signal(name);
                SignalHandler old = Signal.handle(signal, s -> {
                    stop.received = s.getNumber();
                    thread.interrupt();
                });
                stop.signals.add(signal);
                stop.previous.add(old);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // -Xrs, or no such signal here: the JVM's own handling stays.
            }
        }
        return stop;
    }

    /** Signals left as they are: for a run that has nothing to finish before the JVM ends. */
    static InterruptOnSignal none() {
        return new InterruptOnSignal();
    }

    /** The number of the last signal received, 0 if none. */
    int received() {
        return received;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
