package dev.natcheck.lab;

import dev.natcheck.address.AddressText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One topology that is up: run commands in its namespaces, start background processes there,
 * and close it to stop them all and remove every namespace, whatever happened before.
 */
public final class LabNetwork implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);

    private final Lab lab;
    private final TopologySpec topology;
    private final String runId;
    private final LabFacts facts;
    private final Path logDir;
    private final List<LabProcess> processes = new ArrayList<>();
    private boolean closed;

    LabNetwork(Lab lab, TopologySpec topology, String runId, LabFacts facts, Path logDir) {
        this.lab = lab;
        this.topology = topology;
        this.runId = runId;
        this.facts = facts;
        this.logDir = logDir;
    }

    public TopologySpec topology() {
        return topology;
    }

    public String runId() {
        return runId;
    }

    public LabFacts facts() {
        return facts;
    }

    public Lab lab() {
        return lab;
    }

    /** Where this network's process logs go; kept after the run to read when a test fails. */
    public Path logDir() {
        return logDir;
    }

    public String namespace(Role role) {
        return facts.namespace(role);
    }

    /** Runs {@code command} in {@code role}'s namespace and waits for it, at most {@code timeout}. */
    public ExecResult exec(Role role, Duration timeout, String... command) {
        return exec(role, timeout, List.of(command));
    }

    public ExecResult exec(Role role, Duration timeout, List<String> command) {
        return CommandRunner.run(inNamespace(role, command), Map.of(), timeout);
    }

    /** Starts {@code command} in the background in {@code role}'s namespace; stopped on close. */
    public synchronized LabProcess start(Role role, String name, List<String> command) {
        if (closed) {
            throw new IllegalStateException(topology + " is already down");
        }
        Path out = logDir.resolve(name + ".out");
        Path err = logDir.resolve(name + ".err");
        try {
            // `ip netns exec` execs the command in place, so this PID is the command's own.
            Process process = new ProcessBuilder(inNamespace(role, command))
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            LabProcess started = new LabProcess(name, process, out, err);
            processes.add(started);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /**
     * Waits until a socket of {@code protocol} listens on {@code address} port {@code port} in
     * {@code role}'s namespace; fails at once if {@code owner} exits first.
     */
    public void awaitListening(
            LabProcess owner, Role role, Protocol protocol, String address, int port, Duration timeout) {
        String wanted = AddressText.hostAndPort(address, port);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ExecResult ss = exec(role, Duration.ofSeconds(10), "ss", "-Hn", "-l", protocol.ssFlag());
            boolean listening = ss.stdoutLines().stream()
                    .map(line -> line.trim().split("\\s+"))
                    .anyMatch(columns -> columns.length >= 4 && columns[3].equals(wanted));
            if (listening) {
                return;
            }
            if (!owner.isAlive()) {
                throw new IllegalStateException(owner.name() + " exited before listening on " + protocol + " " + wanted
                        + ": " + owner.describe());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(owner.name() + " not listening on " + protocol + " " + wanted
                        + " after " + timeout + ": " + owner.describe() + "\n--- ss\n" + ss.stdout());
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private List<String> inNamespace(Role role, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace(role)));
        full.addAll(command);
        return full;
    }

    /**
     * Stops every process started here (newest first), then runs netlab.sh down, which also ends
     * anything else still running in the namespaces. Safe to call twice.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).stop();
        }
        ExecResult down = lab.netlab(runId, Map.of(), "down", topology.scriptName());
        Lab.closed(this);
        if (!down.succeeded()) {
            throw new IllegalStateException("netlab.sh down " + topology + " failed: " + down.describe());
        }
    }

    @Override
    public String toString() {
        return topology + " (" + runId + ")";
    }

    /** Transport of a listening socket. */
    public enum Protocol {
        UDP("-u"),
        TCP("-t");

        private final String ssFlag;

        Protocol(String ssFlag) {
            this.ssFlag = ssFlag;
        }

        String ssFlag() {
            return ssFlag;
        }
    }
}
