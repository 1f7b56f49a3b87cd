package dev.natcheck.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a standard stream is a terminal, which Java does not say for stderr alone. */
final class Terminal {

    private Terminal() {}

    /**
     * True when file descriptor 2 is a terminal (Linux: {@code /proc/self/fd/2} links to a
     * {@code /dev/pts/N} or {@code /dev/ttyN}); false when it is a file, a pipe or the journal, or
     * when the system cannot tell.
     */
    static boolean stderr() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
