package dev.natcheck.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * A one-line status on stderr for runs long enough to wonder about ({@code --lifetime} takes
 * minutes): rewritten in place each second once the run has taken {@link #QUIET_FOR}, and erased
 * before the results are printed. Only on a terminal and not with {@code -q}; scripts and logs
 * never see it.
 */
final class Progress implements AutoCloseable {

    /** Runs shorter than this print no progress at all. */
    static final Duration QUIET_FOR = Duration.ofSeconds(2);

    private static final String ERASE_LINE = "\r\u001b[K";
    /** Short enough for an 80-column terminal, where a wrapped line could not be rewritten in place. */
    private static final int MAX_LINE = 79;

    private final PrintWriter err;
    private final long start = System.nanoTime();
    private final Duration expected;
    private final Thread ticker;
    private volatile String phase = "";
    private boolean shown;
    private boolean closed;

    /**
     * @param enabled stderr is a terminal and the user did not ask for quiet
     * @param expected about how long the run takes
     */
    Progress(PrintWriter err, boolean enabled, Duration expected) {
        this.err = err;
        this.expected = expected;
        this.ticker = enabled ? Thread.ofPlatform().daemon().name("progress").start(this::tick) : null;
    }

    /** What the run is doing now: "probing", "binding lifetime test, ...". */
    void phase(String text) {
        phase = text;
    }

    /**
     * What is known so far, e.g. the verdicts "eth0 ipv4 CPE_NAT", printed once as a line of its
     * own while the run goes on (the status line has no room for it).
     */
    synchronized void known(String text) {
        if (ticker == null || closed || text.isEmpty()) {
            return;
        }
        err.print((shown ? ERASE_LINE : "") + "natcheck: so far " + text + System.lineSeparator());
        err.flush();
        shown = false;
    }

    private void tick() {
        try {
            Thread.sleep(QUIET_FOR);
            while (true) {
                show();
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private synchronized void show() {
        if (closed) {
            return;
        }
        err.print(ERASE_LINE + line(Duration.ofNanos(System.nanoTime() - start)));
        err.flush();
        shown = true;
    }

    /** The status line for {@code elapsed}. */
    String line(Duration elapsed) {
        String line = "natcheck: " + phase + " " + clock(elapsed) + " of about " + clock(expected)
                + " (Ctrl-C prints what is known)";
        return line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE - 3) + "...";
    }

    private static String clock(Duration d) {
        return String.format(Locale.ROOT, "%d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    /** Stops the status line and erases it, so the results start on a clean line. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ticker != null) {
            ticker.interrupt();
        }
        if (shown) {
            err.print(ERASE_LINE);
            err.flush();
        }
    }
}
