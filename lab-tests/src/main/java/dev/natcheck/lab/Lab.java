package dev.natcheck.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab on this machine: finds lab/netlab.sh and the project's jars, says whether namespaces
 * can be made here, and builds topologies under a run id no other run shares.
 */
public final class Lab {

    private static final AtomicInteger NETWORKS = new AtomicInteger();
    /** Networks up and not yet closed: a JVM stopped mid-test still tears them down. */
    private static final Set<LabNetwork> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().name("lab-teardown").unstarted(() -> {
                    for (LabNetwork net : List.copyOf(OPEN)) {
                        try {
                            net.close();
                        } catch (RuntimeException e) {
                            System.err.println("lab: teardown of " + net + " failed: " + e.getMessage());
                        }
                    }
                }));
    }

    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);
    private static Optional<String> unavailable;
    /** Namespaces this harness names: run id {@code nc<pid>x<n>}, topology, role. */
    private static final Pattern HARNESS_NAMESPACE =
            Pattern.compile("(nc(\\d+)x\\d+)-.+-(?:cli|cpe|cpe0|cgn|peer|peer_cpe|inet|srv)");

    private final Path root;
    private final Path logs;

    private Lab(Path root, Path logs) {
        this.root = root;
        this.logs = logs;
    }

    /**
     * The lab of the project the tests run in: {@code natcheck.root} (set by the module's pom)
     * or the parent of the working directory.
     */
    public static Lab local() {
        Path root = Path.of(System.getProperty("natcheck.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path logs = Path.of(System.getProperty("natcheck.lab.logs", "target/lab-logs"))
                .toAbsolutePath()
                .normalize();
        return new Lab(root, logs);
    }

    public Path root() {
        return root;
    }

    public Path script() {
        return root.resolve("lab/netlab.sh");
    }

    /** The Java the tests run with, so what runs in namespaces is the same JDK. */
    public static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Where this module's classes are, for running one of its mains in a namespace. */
    public static Path classes() {
        try {
            return Path.of(Lab.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException("cannot locate the lab classes", e));
        }
    }

    /**
     * A built file of the project, when it exists (e.g. "natcheck-cli/target/natcheck.jar"):
     * under the project root, or under {@code natcheck.lab.artifacts} when that is set, to run
     * the lab against another checkout's build.
     */
    public Optional<Path> artifact(String relative) {
        Path base = Optional.ofNullable(System.getProperty("natcheck.lab.artifacts"))
                .map(Path::of)
                .orElse(root);
        Path path = base.resolve(relative).toAbsolutePath().normalize();
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    /**
     * Why the lab cannot run on this machine, or empty when it can. Checked once: Linux, root,
     * the tools, and that a namespace can actually be made (containers often forbid it).
     */
    public Optional<String> unavailableReason() {
        // One probe for the whole JVM, even when tests ask from several threads at once.
        synchronized (Lab.class) {
            if (unavailable == null) {
                unavailable = probe();
            }
            return unavailable;
        }
    }

    private Optional<String> probe() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.of(
                    "the NAT lab needs Linux network namespaces (os.name=" + System.getProperty("os.name") + ")");
        }
        if (!Files.isExecutable(script())) {
            return Optional.of("lab script not found or not executable: " + script());
        }
        ExecResult id = CommandRunner.run(List.of("id", "-u"), Map.of(), Duration.ofSeconds(10));
        if (!id.succeeded() || !id.stdout().strip().equals("0")) {
            return Optional.of("the NAT lab needs root (network namespaces, iptables); running as uid "
                    + id.stdout().strip() + ", so the lab tests are skipped");
        }
        for (String tool : List.of("ip", "iptables", "ip6tables", "ss")) {
            ExecResult which =
                    CommandRunner.run(List.of("sh", "-c", "command -v " + tool), Map.of(), Duration.ofSeconds(10));
            if (!which.succeeded()) {
                return Optional.of(
                        "'" + tool + "' is not installed (apt-get install iproute2 iptables); lab tests skipped");
            }
        }
        removeStaleNetworks();
        String name = newRunId() + "-probe";
        ExecResult add = CommandRunner.run(List.of("ip", "netns", "add", name), Map.of(), Duration.ofSeconds(10));
        CommandRunner.run(List.of("ip", "netns", "del", name), Map.of(), Duration.ofSeconds(10));
        if (!add.succeeded()) {
            return Optional.of(
                    "'ip netns add' does not work here (" + add.stderr().strip() + "); lab tests skipped");
        }
        return Optional.empty();
    }

    /**
     * Removes what an earlier test JVM left behind when it was killed before its teardown ran:
     * namespaces named by the harness ({@code nc<pid>x<n>-...}) whose pid no longer runs. Other
     * namespaces, including those of test JVMs still running, are left alone.
     */
    private void removeStaleNetworks() {
        ExecResult list = CommandRunner.run(List.of("ip", "netns", "list"), Map.of(), Duration.ofSeconds(10));
        Set<String> stale = new TreeSet<>();
        for (String line : list.stdoutLines()) {
            Matcher m = HARNESS_NAMESPACE.matcher(line.split("\\s+")[0]);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
                stale.add(m.group(1));
            }
        }
        for (String runId : stale) {
            netlab(runId, Map.of(), "down", "all");
        }
    }

    /** A run id unique on this machine for this JVM's lifetime: "nc", PID, a counter. */
    public static String newRunId() {
        return "nc" + ProcessHandle.current().pid() + "x" + NETWORKS.incrementAndGet();
    }

    static void closed(LabNetwork net) {
        OPEN.remove(net);
    }

    /** Runs lab/netlab.sh with {@code NETLAB_ID=runId} and the given arguments. */
    public ExecResult netlab(String runId, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(script().toString());
        command.addAll(List.of(args));
        Map<String, String> fullEnv = new HashMap<>(env);
        fullEnv.put("NETLAB_ID", runId);
        fullEnv.putIfAbsent("NETLAB_QUIET", "1");
        return CommandRunner.run(command, fullEnv, SCRIPT_TIMEOUT);
    }

    /** Builds {@code topology} under a fresh run id. Close the result to tear it down. */
    public LabNetwork up(TopologySpec topology) {
        return up(topology, Map.of());
    }

    /** Builds {@code topology} with extra environment for the script (e.g. NETLAB_LOSS). */
    public LabNetwork up(TopologySpec topology, Map<String, String> env) {
        String runId = newRunId();
        ExecResult result = netlab(runId, env, "up", topology.scriptName());
        if (!result.succeeded()) {
            // netlab.sh removes a half-built topology itself; say why it failed.
            throw new IllegalStateException("netlab.sh up " + topology + " failed: " + result.describe());
        }
        Path logDir = logs.resolve(runId + "-" + topology.scriptName());
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            netlab(runId, Map.of(), "down", topology.scriptName());
            throw new UncheckedIOException(e);
        }
        LabNetwork net = new LabNetwork(this, topology, runId, LabFacts.parse(result.stdout()), logDir);
        OPEN.add(net);
        return net;
    }
}
