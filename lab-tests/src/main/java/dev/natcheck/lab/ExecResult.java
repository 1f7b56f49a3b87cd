package dev.natcheck.lab;

import java.util.List;

/** How a finished command ended and what it printed. */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut) {

    public ExecResult {
        command = List.copyOf(command);
    }

    /** True when the command exited by itself with status 0. */
    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /** stdout split into lines, trailing empty line dropped. */
    public List<String> stdoutLines() {
        return stdout.lines().toList();
    }

    /** A one-paragraph account for assertion messages. */
    public String describe() {
        return String.join(" ", command) + (timedOut ? " timed out" : " exited " + exitCode) + "\n--- stdout\n" + stdout
                + "\n--- stderr\n" + stderr;
    }
}
