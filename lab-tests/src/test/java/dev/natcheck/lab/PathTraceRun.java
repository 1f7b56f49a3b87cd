package dev.natcheck.lab;

import dev.natcheck.path.PathTrace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * natcheck's {@link PathTrace} run in a client namespace from the packaged natcheck.jar: this
 * class only calls it and prints each trace on one line, and the test reads the lines back.
 *
 * @param status COMPLETE, PARTIAL or SKIPPED
 * @param hops hop addresses in TTL order, "*" for a silent hop
 * @param distance the outermost NAT's hop distance, when known
 * @param probes datagrams the trace sent
 * @param elapsed the trace's own time (native calls linked before, by {@link PathTrace#prepare})
 * @param note the trace's note, "" when none
 */
record PathTraceRun(String status, List<String> hops, OptionalInt distance, int probes, Duration elapsed, String note) {

    /**
     * Arguments: LOCAL SERVER MAPPED BUDGET_MILLIS RUNS. Prints the time {@link PathTrace#prepare}
     * took, then one line per trace: {@code status=S hops=A,B,* distance=N|unknown probes=N
     * elapsed_us=N note=...}.
     */
    public static void main(String[] args) {
        InetAddress local = InetAddress.ofLiteral(args[0]);
        InetSocketAddress server = new InetSocketAddress(InetAddress.ofLiteral(args[1]), 3478);
        InetSocketAddress mapped = new InetSocketAddress(InetAddress.ofLiteral(args[2]), 40000);
        Duration budget = Duration.ofMillis(Long.parseLong(args[3]));
        int runs = Integer.parseInt(args[4]);
        long start = System.nanoTime();
        String unavailable = PathTrace.prepare().orElse("");
        System.out.println("prepare_us=" + (System.nanoTime() - start) / 1000 + " " + unavailable);
        for (int i = 0; i < runs; i++) {
            PathTrace trace = PathTrace.trace(local, server, mapped, budget);
            List<String> hops = trace.hops().stream()
                    .map(h -> h.address().map(InetAddress::getHostAddress).orElse("*"))
                    .toList();
            System.out.println("status=" + trace.status()
                    + " hops=" + (hops.isEmpty() ? "-" : String.join(",", hops))
                    + " distance="
                    + (trace.outermostNatDistance().isPresent()
                            ? Integer.toString(trace.outermostNatDistance().getAsInt())
                            : "unknown")
                    + " probes=" + trace.probesSent()
                    + " elapsed_us=" + trace.elapsed().toNanos() / 1000
                    + " note=" + trace.note().orElse(""));
        }
    }

    /** Runs {@code runs} traces in one JVM in {@code net}'s client namespace. */
    static List<PathTraceRun> run(
            LabNetwork net, Path natcheckJar, String local, String server, String mapped, Duration budget, int runs) {
        List<String> command = List.of(
                Lab.java().toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                location(PathTraceRun.class) + ":" + location(ExecResult.class) + ":" + natcheckJar,
                PathTraceRun.class.getName(),
                local,
                server,
                mapped,
                Long.toString(budget.toMillis()),
                Integer.toString(runs));
        ExecResult result = net.exec(Role.CLI, Duration.ofSeconds(60), command);
        List<String> lines = result.stdoutLines();
        if (!result.succeeded() || lines.size() != runs + 1 || !lines.getFirst().startsWith("prepare_us=")) {
            throw new IllegalStateException("PathTraceRun failed: " + result.describe());
        }
        List<PathTraceRun> traces = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            traces.add(parse(line));
        }
        return traces;
    }

    static PathTraceRun parse(String line) {
        int noteAt = line.indexOf(" note=");
        String[] fields = line.substring(0, noteAt).split(" ");
        String status = value(fields[0], "status");
        String hops = value(fields[1], "hops");
        String distance = value(fields[2], "distance");
        return new PathTraceRun(
                status,
                hops.equals("-") ? List.of() : Arrays.asList(hops.split(",")),
                distance.equals("unknown") ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(distance)),
                Integer.parseInt(value(fields[3], "probes")),
                Duration.ofNanos(Long.parseLong(value(fields[4], "elapsed_us")) * 1000),
                line.substring(noteAt + " note=".length()));
    }

    private static String value(String field, String key) {
        if (!field.startsWith(key + "=")) {
            throw new IllegalArgumentException("expected " + key + "=..., got " + field);
        }
        return field.substring(key.length() + 1);
    }

    /** The class path entry that holds {@code type}: the lab's test classes, its main classes. */
    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException("cannot locate the lab classes", e));
        }
    }
}
