package dev.natcheck.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A background process started inside a lab namespace, its output in two log files. Stopped by
 * its own PID: SIGTERM, then SIGKILL if it has not gone within the grace period.
 */
public final class LabProcess {

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    LabProcess(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends SIGTERM and waits up to five seconds, then kills. Returns the exit status, or -1 when
     * it had to be killed.
     */
    public int stop() {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        process.destroy();
        try {
            if (process.waitFor(5, TimeUnit.SECONDS)) {
                return process.exitValue();
            }
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        }
    }

    /** Waits up to {@code limit} for the process to exit by itself; its status, or -1 when it is still running. */
    public int waitFor(java.time.Duration limit) {
        try {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** What the process wrote to stdout so far. */
    public String stdout() {
        return read(stdout);
    }

    /** What the process wrote to stderr so far. */
    public String stderr() {
        return read(stderr);
    }

    /** Both outputs, for assertion messages. */
    public String describe() {
        return name + " (pid " + pid() + (isAlive() ? ", running" : ", exited " + process.exitValue()) + ")"
                + "\n--- stdout\n" + stdout() + "\n--- stderr\n" + stderr();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
