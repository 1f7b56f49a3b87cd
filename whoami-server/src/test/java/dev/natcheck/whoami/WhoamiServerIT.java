package dev.natcheck.whoami;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged daemon as an operator runs it: bin/whoami-server launching
 * target/whoami-server.jar in its own JVM, stopped with SIGTERM.
 */
@Timeout(60)
class WhoamiServerIT {

    private static final Path LAUNCHER = Path.of("bin/whoami-server").toAbsolutePath();
    private static final Pattern LISTENING = Pattern.compile("listening on \\[127\\.0\\.0\\.1:(\\d+)]");

    private static ProcessBuilder launcher(String... args) {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        // The JDK running the tests is a Java 25: hand it to the launcher.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("WHOAMI_SERVER_JAR");
        return builder;
    }

    @Test
    void versionIsTheBuiltVersionFromTheManifest() throws Exception {
        assertThat(Path.of("target/whoami-server.jar")).exists();
        Process process = launcher("--version").redirectErrorStream(true).start();

        String output = new String(process.getInputStream().readAllBytes(), US_ASCII);

        assertThat(process.waitFor()).isZero();
        assertThat(output).startsWith("whoami-server " + System.getProperty("project.version") + "\n");
    }

    /**
     * {@code --version} or {@code -V} alone is answered by main before picocli builds its model:
     * byte for byte what picocli itself prints, from the jar's own classes (the manifest's version).
     */
    @Test
    void versionAloneIsExactlyWhatPicocliPrints() throws Exception {
        Path jar = Path.of("target/whoami-server.jar").toAbsolutePath();
        String picocli;
        try (URLClassLoader classes =
                new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> commandLineClass = classes.loadClass("picocli.CommandLine");
            Object commandLine = classes.loadClass(WhoamiCommand.class.getName())
                    .getMethod("commandLine")
                    .invoke(null);
            StringWriter out = new StringWriter();
            commandLineClass.getMethod("setOut", PrintWriter.class).invoke(commandLine, new PrintWriter(out));
            commandLineClass.getMethod("execute", String[].class).invoke(commandLine, (Object)
                    new String[] {"--version"});
            picocli = out.toString();
        }
        for (String flag : List.of("--version", "-V")) {
            Process process = launcher(flag).start();

            String output = new String(process.getInputStream().readAllBytes(), US_ASCII);

            assertThat(process.waitFor()).isZero();
            assertThat(output).as(flag).startsWith("whoami-server ").isEqualTo(picocli);
        }
    }

    @Test
    void servesThenStopsWithExitStatus0OnSigterm() throws Exception {
        Process process = launcher("--listen", "127.0.0.1", "--port", "0").start();
        try {
            BufferedReader log = new BufferedReader(new InputStreamReader(process.getErrorStream(), US_ASCII));
            int port = awaitPort(log);

            try (Socket client = new Socket()) {
                client.setSoTimeout(10_000);
                client.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                assertThat(new String(client.getInputStream().readAllBytes(), US_ASCII))
                        .isEqualTo("127.0.0.1:" + client.getLocalPort() + "\n");
            }

            // SIGTERM through the ProcessHandle: Process.destroy() would also close our end of the
            // log pipe before the server's last lines are read.
            assertThat(process.toHandle().destroy()).isTrue();
            assertThat(process.waitFor(20, TimeUnit.SECONDS))
                    .as("stopped within 20 s")
                    .isTrue();
            assertThat(process.exitValue()).isZero();
            assertThat(log.lines().toList()).anySatisfy(line -> assertThat(line).contains("stopped: 1 clients served"));
            assertThat(process.getInputStream().readAllBytes()).as("stdout").isEmpty();
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * A fresh machine's default java may be older: {@code java -jar} hands over to a JDK 25, and
     * a SIGTERM to the first JVM still stops the server cleanly with status 0.
     */
    @Test
    void anOlderJavaHandsOverToAJdk25AndPassesTheStopOn() throws Exception {
        Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(java17), "a Java 17 to start from");
        ProcessBuilder builder = new ProcessBuilder(
                java17.toString(), "-jar", "target/whoami-server.jar", "--listen", "127.0.0.1", "--port", "0");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        try {
            BufferedReader log = new BufferedReader(new InputStreamReader(process.getErrorStream(), US_ASCII));
            int port = awaitPort(log);
            try (Socket client = new Socket("127.0.0.1", port)) {
                assertThat(new String(client.getInputStream().readAllBytes(), US_ASCII))
                        .isEqualTo("127.0.0.1:" + client.getLocalPort() + "\n");
            }

            List<ProcessHandle> children = process.descendants().toList();
            assertThat(children).as("the JDK 25 the launcher started").isNotEmpty();
            assertThat(process.toHandle().destroy()).isTrue();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stopped").isTrue();
            List<String> lines = log.lines().toList();
            for (ProcessHandle child : children) {
                assertThat(child.onExit().get(20, TimeUnit.SECONDS).isAlive()).isFalse();
            }
            // The first JVM leaves with the second's status: 0 after the server's orderly stop (its
            // handler is in place before it listens, so before the port was read above).
            assertThat(lines).anySatisfy(line -> assertThat(line).contains("SIGTERM received"));
            assertThat(process.exitValue()).isZero();
            assertThat(lines).anySatisfy(line -> assertThat(line).contains("stopped: 1 clients served"));
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void portInUseIsReportedWithExitStatus1() throws Exception {
        try (ServerSocket blocker = new ServerSocket(0, 1, InetAddress.ofLiteral("127.0.0.1"))) {
            Process process = launcher("--listen", "127.0.0.1", "--port", String.valueOf(blocker.getLocalPort()))
                    .start();
            String log = new String(process.getErrorStream().readAllBytes(), US_ASCII);

            assertThat(process.waitFor()).isEqualTo(1);
            assertThat(log).contains("cannot listen on 127.0.0.1:" + blocker.getLocalPort());
        }
    }

    @Test
    void launcherSaysWhatIsMissingWithoutAJar() throws Exception {
        Path empty = Files.createTempDirectory("whoami-launcher");
        Path bin = Files.createDirectories(empty.resolve("bin"));
        Path copy = Files.copy(LAUNCHER, bin.resolve("whoami-server"));
        Process process = new ProcessBuilder(copy.toString(), "--version").start();

        String err = new String(process.getErrorStream().readAllBytes(), US_ASCII);

        assertThat(process.waitFor()).isEqualTo(1);
        assertThat(err).contains("cannot find whoami-server.jar");
        Files.delete(copy);
        Files.delete(bin);
        Files.delete(empty);
    }

    private static int awaitPort(BufferedReader log) throws IOException {
        for (String line; (line = log.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the server exited before it logged its port");
    }
}
