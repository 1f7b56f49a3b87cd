package dev.natcheck.stunserver;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.TransactionId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged daemon as an operator runs it: bin/stun-server launching target/stun-server.jar
 * in its own JVM, answering over UDP, stopped with SIGTERM.
 */
@Timeout(60)
class StunServerIT {

    private static final Path LAUNCHER = Path.of("bin/stun-server").toAbsolutePath();
    private static final Pattern LISTENING = Pattern.compile("listening on UDP \\[127\\.0\\.0\\.1:(\\d+)");

    private static ProcessBuilder launcher(String... args) {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        // The JDK running the tests is a Java 25: hand it to the launcher.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("STUN_SERVER_JAR");
        return builder;
    }

    @Test
    void versionIsTheBuiltVersionFromTheManifest() throws Exception {
        assertThat(Path.of("target/stun-server.jar")).exists();
        Process process = launcher("--version").redirectErrorStream(true).start();

        String output = new String(process.getInputStream().readAllBytes(), US_ASCII);

        assertThat(process.waitFor()).isZero();
        assertThat(output).startsWith("stun-server " + System.getProperty("project.version") + "\n");
    }

    /**
     * {@code --version} or {@code -V} alone is answered by main before picocli builds its model:
     * byte for byte what picocli itself prints, from the jar's own classes (the manifest's version).
     */
    @Test
    void versionAloneIsExactlyWhatPicocliPrints() throws Exception {
        Path jar = Path.of("target/stun-server.jar").toAbsolutePath();
        String picocli;
        try (URLClassLoader classes =
                new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> commandLineClass = classes.loadClass("picocli.CommandLine");
            Object commandLine = classes.loadClass(StunServerCommand.class.getName())
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
            assertThat(output).as(flag).startsWith("stun-server ").isEqualTo(picocli);
        }
    }

    /** A fresh machine's default java may be older: {@code java -jar} hands over to a JDK 25. */
    @Test
    void anOlderJavaOnThePathHandsOverToAJdk25() throws Exception {
        Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java17), "a Java 17");
        ProcessBuilder builder = new ProcessBuilder(java17.toString(), "-jar", "target/stun-server.jar", "--version");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.redirectErrorStream(true).start();

        String output = new String(process.getInputStream().readAllBytes(), US_ASCII);

        assertThat(process.waitFor()).isZero();
        assertThat(output).startsWith("stun-server " + System.getProperty("project.version") + "\nJava 25");
    }

    @Test
    void answersThenStopsWithExitStatus0OnSigterm() throws Exception {
        Process process = launcher(
                        "--listen", "127.0.0.1", "--alternate", "127.0.0.2", "--port", "0", "--alt-port", "0")
                .start();
        try {
            BufferedReader log = new BufferedReader(new InputStreamReader(process.getErrorStream(), US_ASCII));
            int port = awaitPort(log);

            try (TestClient client = TestClient.loopback()) {
                TransactionId id = TransactionId.random();
                MessageView answer =
                        Requests.decode(client.exchange(Requests.padded(id), new InetSocketAddress("127.0.0.1", port))
                                .bytes());
                assertThat(answer.transactionIdMatches(id)).isTrue();
                assertThat(answer.xorMappedAddress().orElseThrow().socketAddress())
                        .isEqualTo(client.local());
                assertThat(answer.otherAddress().orElseThrow().address().getHostAddress())
                        .isEqualTo("127.0.0.2");
            }

            // SIGTERM through the ProcessHandle: Process.destroy() would also close our end of the
            // log pipe before the server's last lines are read.
            assertThat(process.toHandle().destroy()).isTrue();
            assertThat(process.waitFor(20, TimeUnit.SECONDS))
                    .as("stopped within 20 s")
                    .isTrue();
            assertThat(process.exitValue()).isZero();
            assertThat(log.lines().toList()).anySatisfy(line -> assertThat(line).contains("stopped;"));
            assertThat(process.getInputStream().readAllBytes()).as("stdout").isEmpty();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void portInUseIsReportedWithExitStatus1() throws Exception {
        try (DatagramSocket blocker = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            Process process = launcher("--listen", "127.0.0.1", "--port", String.valueOf(blocker.getLocalPort()))
                    .start();
            String log = new String(process.getErrorStream().readAllBytes(), US_ASCII);

            assertThat(process.waitFor()).isEqualTo(1);
            assertThat(log).contains("cannot listen on UDP 127.0.0.1:" + blocker.getLocalPort());
        }
    }

    @Test
    void badFlagExitsWithStatus2() throws Exception {
        Process process = launcher("--port", "many").start();
        String err = new String(process.getErrorStream().readAllBytes(), US_ASCII);

        assertThat(process.waitFor()).isEqualTo(2);
        assertThat(err).startsWith("stun-server: ").contains("--port");
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
