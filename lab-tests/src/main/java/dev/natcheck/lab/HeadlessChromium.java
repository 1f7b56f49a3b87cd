package dev.natcheck.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's Chromium, headless, in a lab namespace, driven over the DevTools protocol on a pipe
 * ({@code --remote-debugging-pipe}: requests on file descriptor 3, replies on 4, each a JSON
 * text ended by a NUL byte). A pipe, not a port: a debugging port would listen on the client
 * namespace's own loopback, which the test JVM in the root namespace cannot reach, and a pipe
 * needs no bridge, no free port and no chromedriver. The process is this JVM's child; close()
 * ends it by its PID (the lab's teardown ends any helper process it left in the namespace).
 */
public final class HeadlessChromium implements AutoCloseable {

    /** Debian's launcher; it execs the real binary, so the pipes reach it. */
    public static final String BINARY = "chromium";

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final OutputStream toBrowser;
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Thread reader;
    private final Path log;
    private volatile String session;

    private HeadlessChromium(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.toBrowser = process.getOutputStream();
        InputStream fromBrowser = process.getInputStream();
        this.reader = Thread.ofPlatform().daemon().name("cdp-reader").start(() -> readLoop(fromBrowser));
    }

    /**
     * Starts Chromium in {@code role}'s namespace with a fresh profile under {@code profile}, its
     * stderr in {@code log}. The flags keep it from calling home (component updates, sync,
     * background networking, QUIC) and let it run as root (no sandbox) without a GPU;
     * {@code extraFlags} are added, e.g. to let WebRTC show host addresses.
     */
    public static HeadlessChromium start(LabNetwork net, Role role, Path profile, Path log, List<String> extraFlags) {
        List<String> chromium = new ArrayList<>(List.of(
                BINARY,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-default-apps",
                "--metrics-recording-only",
                "--user-data-dir=" + profile,
                "--remote-debugging-pipe"));
        chromium.addAll(extraFlags);
        chromium.add("about:blank");
        // fd 3 and 4 are the DevTools pipe: this process's stdin and stdout, moved there; the
        // browser's own stdout joins its stderr in the log.
        List<String> command = new ArrayList<>(List.of(
                "ip",
                "netns",
                "exec",
                net.namespace(role),
                "bash",
                "-c",
                "exec 3<&0 4>&1 </dev/null 1>&2; exec \"$@\"",
                "chromium-in-lab"));
        command.addAll(chromium);
        try {
            Files.createDirectories(profile);
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new HeadlessChromium(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY, e);
        }
    }

    private void readLoop(InputStream in) {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == 0) {
                        message.write(buffer, start, i - start);
                        dispatch(message.toString(StandardCharsets.UTF_8));
                        message.reset();
                        start = i + 1;
                    }
                }
                message.write(buffer, start, n - start);
            }
        } catch (IOException e) {
            // The browser went away; pending commands fail below.
        }
        IllegalStateException gone = new IllegalStateException("chromium closed its DevTools pipe: " + tail());
        pending.values().forEach(f -> f.completeExceptionally(gone));
    }

    @SuppressWarnings("unchecked")
    private void dispatch(String text) {
        Map<String, Object> message = (Map<String, Object>) Json.parse(text);
        Object id = message.get("id");
        if (id instanceof Double d) {
            CompletableFuture<Map<String, Object>> future = pending.remove(d.intValue());
            if (future != null) {
                future.complete(message);
            }
        }
        // Events are not needed: the tests poll the page's own state.
    }

    /** Sends one command (to the attached page once {@link #open} ran) and returns its result. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> send(String method, Map<String, Object> params) {
        return send(method, params, session);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> send(String method, Map<String, Object> params, String sessionId) {
        int id = ids.incrementAndGet();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            synchronized (toBrowser) {
                toBrowser.write(JsonText.of(message).getBytes(StandardCharsets.UTF_8));
                toBrowser.write(0);
                toBrowser.flush();
            }
            Map<String, Object> answer = reply.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (answer.containsKey("error")) {
                throw new IllegalStateException(method + " failed: " + answer.get("error"));
            }
            Object result = answer.get("result");
            return result instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write to chromium: " + tail(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(method + " got no reply in " + COMMAND_TIMEOUT + ": " + tail(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(method + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pending.remove(id);
        }
    }

    /**
     * Opens a new tab of {@code width} x {@code height} CSS pixels (a phone's, when
     * {@code mobile}) and attaches to it; later commands go to it.
     */
    public void open(int width, int height, boolean mobile) {
        String target = (String)
                send("Target.createTarget", Map.of("url", "about:blank"), null).get("targetId");
        session = (String) send("Target.attachToTarget", Map.of("targetId", target, "flatten", true), null)
                .get("sessionId");
        send(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }

    /** Starts loading {@code url} in the tab; returns at once. */
    public void navigate(String url) {
        send("Page.navigate", Map.of("url", url));
    }

    /** Evaluates {@code expression} in the page; its value (strings, numbers, booleans, null). */
    public Object evaluate(String expression) {
        Map<String, Object> result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (result.containsKey("exceptionDetails")) {
            throw new IllegalStateException("page threw on " + expression + ": " + result.get("exceptionDetails"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) result.get("result");
        return value == null ? null : value.get("value");
    }

    /** Polls {@code expression} until it is true, at most {@code timeout}; false when it never was. */
    public boolean await(String expression, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(evaluate(expression))) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** A PNG of the whole page, not only the visible part, written to {@code file}. */
    public void screenshot(Path file) throws IOException {
        screenshot(file, true);
    }

    /** A PNG of the whole page, or of what the window shows, written to {@code file}. */
    @SuppressWarnings("unchecked")
    public void screenshot(Path file, boolean wholePage) throws IOException {
        Map<String, Object> params = Map.of("format", "png");
        if (wholePage) {
            Map<String, Object> metrics = send("Page.getLayoutMetrics", Map.of());
            Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
            Map<String, Object> clip =
                    Map.of("x", 0, "y", 0, "width", size.get("width"), "height", size.get("height"), "scale", 1);
            params = Map.of("format", "png", "captureBeyondViewport", true, "clip", clip);
        }
        String png = (String) send("Page.captureScreenshot", params).get("data");
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(png));
    }

    /** The last lines of Chromium's log, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Asks the browser to quit, then ends the process by its PID if it has not. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                send("Browser.close", Map.of(), null);
            } catch (RuntimeException e) {
                // Gone or stuck: the PID below settles it.
            }
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        reader.interrupt();
    }
}
