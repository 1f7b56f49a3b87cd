package dev.natcheck.whoami;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Soak benchmark for whoami-server: starts the daemon as its own process on loopback, measures
 * a fresh client's time to its line with no other client (after 2000 warm-up clients), then opens HOLD connections that
 * never read and never close (the server keeps each one until its idle timeout) and measures
 * again. Fails (exit 1) if any sample with the connections held takes 100 ms or more.
 *
 * <p>Run from whoami-server/ after {@code ../mvnw -q package -DskipTests} (or test-compile):
 * {@code java -cp target/whoami-server.jar:target/test-classes dev.natcheck.whoami.WhoamiSoak
 * [selector|virtual] [HOLD] [SAMPLES]}. Everything stays on 127.0.0.1; every loop is bounded in
 * count and the whole run by a 3-minute deadline.
 */
public final class WhoamiSoak {

    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");
    private static final long DEADLINE_NANOS = TimeUnit.MINUTES.toNanos(3);
    private static final double LIMIT_MS = 100;
    private static final int WARM_UP = 2_000;
    private static final Pattern LISTENING = Pattern.compile("listening on \\[127\\.0\\.0\\.1:(\\d+)]");

    private final long deadline = System.nanoTime() + DEADLINE_NANOS;

    private WhoamiSoak() {}

    public static void main(String[] args) throws Exception {
        String server = args.length > 0 ? args[0] : "selector";
        int hold = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        if (!server.equals("selector") && !server.equals("virtual")) {
            throw new IllegalArgumentException("server must be selector or virtual, got " + server);
        }
        if (hold < 0 || hold > 20_000 || samples < 1 || samples > 10_000) {
            throw new IllegalArgumentException("HOLD must be 0..20000 and SAMPLES 1..10000");
        }
        System.exit(new WhoamiSoak().run(server, hold, samples) ? 0 : 1);
    }

    private boolean run(String kind, int hold, int samples) throws Exception {
        long fdLimit = openFileLimit(Path.of("/proc/self/limits"));
        if (fdLimit < hold + 200L) {
            System.err.printf(
                    "need %d descriptors, the limit is %d: raise it (ulimit -n; the JVM "
                            + "lifts its soft limit to the hard limit, so check ulimit -Hn)%n",
                    hold + 200, fdLimit);
            return false;
        }
        Process server = startServer(kind);
        Thread pump = null;
        List<Socket> held = new ArrayList<>(hold);
        try {
            final BufferedReader log = new BufferedReader(new InputStreamReader(server.getErrorStream(), US_ASCII));
            InetSocketAddress address = new InetSocketAddress(LOOPBACK, awaitPort(log));
            pump = Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (String line; (line = log.readLine()) != null; ) {
                        System.out.println("  server: " + line);
                    }
                } catch (IOException closed) {
                    // The server is gone.
                }
            });
            System.out.printf(
                    Locale.ROOT, "server: %s, pid %d, %s; client fd limit %d%n", kind, server.pid(), address, fdLimit);

            measure(address, WARM_UP); // JIT-compile both sides before anything is reported
            report("no other client", measure(address, samples));
            System.out.printf(
                    Locale.ROOT,
                    "server process before holding: %d descriptors, %s%n",
                    descriptors(server.pid()),
                    rss(server.pid()));

            long start = System.nanoTime();
            for (int i = 0; i < hold; i++) {
                checkDeadline();
                Socket socket = new Socket();
                socket.setReceiveBufferSize(4096);
                socket.connect(address, 5_000); // never read, never closed until the end
                held.add(socket);
            }
            double openMs = (System.nanoTime() - start) / 1e6;
            System.out.printf(
                    Locale.ROOT,
                    "opened %d never-reading connections in %.0f ms; " + "server process: %d descriptors, %s%n",
                    hold,
                    openMs,
                    descriptors(server.pid()),
                    rss(server.pid()));

            double[] loaded = measure(address, samples);
            report(hold + " connections held", loaded);
            double max = Arrays.stream(loaded).max().orElseThrow();
            boolean ok = max < LIMIT_MS;
            System.out.printf(
                    Locale.ROOT,
                    "%s: slowest line with %d held took %.2f ms (limit %.0f ms)%n",
                    ok ? "PASS" : "FAIL",
                    hold,
                    max,
                    LIMIT_MS);
            return ok;
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
            // SIGTERM through the ProcessHandle: Process.destroy() would also close the log pipe,
            // losing the totals the daemon logs on its way out.
            server.toHandle().destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            if (pump != null) {
                pump.join(5_000);
            }
            System.out.println("server exit status " + server.exitValue());
        }
    }

    private static Process startServer(String kind) throws IOException {
        List<String> command = new ArrayList<>();
        if (kind.equals("selector")) {
            command.addAll(List.of(
                    Path.of("bin/whoami-server").toAbsolutePath().toString(),
                    "--listen",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--idle-timeout",
                    "5m",
                    "--max-connections",
                    "20000"));
        } else {
            command.addAll(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    VirtualThreadWhoami.class.getName(),
                    "127.0.0.1",
                    "0",
                    "5m"));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putIfAbsent("JAVA_OPTS", "-XX:+UseSerialGC -Xmx64m");
        return builder.start();
    }

    /** Sequential fresh clients: connect, read the line, check it, close. Times in ms. */
    private double[] measure(InetSocketAddress address, int samples) throws IOException {
        double[] times = new double[samples];
        for (int i = 0; i < samples; i++) {
            checkDeadline();
            long start = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.setSoTimeout(5_000);
                socket.connect(address, 5_000);
                String line = readLine(socket.getInputStream());
                times[i] = (System.nanoTime() - start) / 1e6;
                String expected = "127.0.0.1:" + socket.getLocalPort();
                if (!line.equals(expected)) {
                    throw new IllegalStateException("got '" + line + "', expected '" + expected + "'");
                }
            }
        }
        return times;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0 || line.length() >= AddressLine.MAX_BYTES) {
                throw new IOException("no complete line: '" + line + "'");
            }
            line.append((char) b);
        }
        return line.toString();
    }

    private static void report(String label, double[] times) {
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        System.out.printf(
                Locale.ROOT,
                "%-28s %d samples: p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                label + ":",
                sorted.length,
                percentile(sorted, 50),
                percentile(sorted, 99),
                sorted[sorted.length - 1]);
    }

    /** Nearest-rank percentile of sorted values. */
    private static double percentile(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static int awaitPort(BufferedReader log) throws IOException {
        for (String line; (line = log.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            System.out.println("  server: " + line);
        }
        throw new IOException("the server exited before it logged its port");
    }

    private void checkDeadline() {
        if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException("soak exceeded its 3-minute deadline");
        }
    }

    private static long openFileLimit(Path limits) throws IOException {
        for (String line : Files.readAllLines(limits)) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return Long.MAX_VALUE;
    }

    private static long descriptors(long pid) {
        try (var fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String rss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> "RSS " + l.substring(6).strip())
                    .findFirst()
                    .orElse("RSS unknown");
        } catch (IOException e) {
            return "RSS unknown";
        }
    }
}
