package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged artifacts as a user runs them: {@code java -jar target/natcheck.jar} and {@code bin/natcheck}. */
class NatcheckJarIT {

    private static final Path JAR = Path.of("target", "natcheck.jar").toAbsolutePath();
    private static final Path LAUNCHER = Path.of("bin", "natcheck").toAbsolutePath();
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    record Result(int exitCode, String out, String err) {}

    static Result run(Map<String, String> environment, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String out = read(process.getInputStream());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
        return new Result(process.exitValue(), out, err.get());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> jar(String... args) {
        List<String> command = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    @Test
    void versionComesFromTheJarManifest() throws Exception {
        Result result = run(Map.of(), jar("--version"));

        assertThat(result.exitCode()).isZero();
        String manifestVersion;
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(JAR.toFile())) {
            manifestVersion = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
        assertThat(manifestVersion).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(result.out().lines().findFirst()).contains("natcheck " + manifestVersion);
    }

    /** The README's first command: the whole pipeline on loopback from the packaged jar. */
    @Test
    void theReadmeQuickstartRunsTheWholePipelineOnLoopback() throws Exception {
        Result result = run(Map.of(), jar("--local"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("VERDICT", "NO_NAT", "no NAT, seen as 127.0.0.1:");
        assertThat(result.err()).isEmpty();
    }

    /** A newcomer's PATH may start with an older java: the jar hands over to a JDK 25 it finds. */
    @Test
    void anOlderJavaOnThePathHandsOverToAJdk25() throws Exception {
        Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(java17), "a Java 17 to start from");

        Result result = run(
                Map.of("JAVA_HOME", Path.of(JAVA).getParent().getParent().toString()),
                List.of(java17.toString(), "-jar", JAR.toString(), "--local", "-4", "-o", "brief"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).matches("lo\\S*\tipv4\tNO_NAT\t127\\.0\\.0\\.1:\\d+\t0\n");
    }

    @Test
    void jsonOnStdoutStaysCleanEvenWithVerboseLogs() throws Exception {
        Result result = run(Map.of(), jar("--local", "-o", "json", "-vv"));

        assertThat(result.exitCode()).isZero();
        JsonNode root = new ObjectMapper().readTree(result.out());
        assertThat(root.get("schema").asInt()).isEqualTo(dev.natcheck.output.JsonReport.SCHEMA);
        assertThat(root.get("probes"))
                .allSatisfy(p -> assertThat(p.get("verdict").asText()).isEqualTo("NO_NAT"));
        assertThat(result.err()).contains("DEBUG", "UDP_STUN --BINDING_OK--> CLASSIFY");
    }

    @Test
    void theLauncherFindsAJdkAndTheJarAndPassesArgumentsThrough() throws Exception {
        Result result = run(
                Map.of("JAVA_HOME", Path.of(JAVA).getParent().getParent().toString(), "NATCHECK_AOT", "off"),
                List.of(LAUNCHER.toString(), "--local", "-4", "-o", "brief"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).matches("lo\\S*\tipv4\tNO_NAT\t127\\.0\\.0\\.1:\\d+\t0\n");
    }

    @Test
    void theLauncherUsesAnAotCacheItTrainedItselfWithoutTouchingStdout() throws Exception {
        Path dir = Files.createTempDirectory("natcheck-aot");
        Path cache = dir.resolve("natcheck.aot");
        Map<String, String> env = Map.of(
                "JAVA_HOME", Path.of(JAVA).getParent().getParent().toString(), "NATCHECK_AOT_CACHE", cache.toString());
        try {
            Map<String, String> training = new java.util.HashMap<>(env);
            training.put("NATCHECK_AOT_TRAIN", "1");
            Result trained = run(training, List.of(LAUNCHER.toString(), "--local", "-4", "-o", "brief"));
            assertThat(trained.exitCode()).as(trained.err()).isZero();
            assertThat(cache).exists();

            Result cached = run(env, List.of(LAUNCHER.toString(), "--local", "-4", "-o", "brief"));
            assertThat(cached.exitCode()).as(cached.err()).isZero();
            assertThat(cached.out()).matches("lo\\S*\tipv4\tNO_NAT\t127\\.0\\.0\\.1:\\d+\t0\n");
            assertThat(cached.err()).isEmpty();
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void usageErrorsExitTwoWithNothingOnStdout() throws Exception {
        Result result = run(
                Map.of("JAVA_HOME", Path.of(JAVA).getParent().getParent().toString()),
                List.of(LAUNCHER.toString(), "--timeout", "soon"));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines()).singleElement().asString().contains("'soon' is not a duration");
    }

    /**
     * The logs, too: a hostile server's reason phrase in every log line at debug level, the
     * behaviour tests included, reaches the real stderr escaped (logback writes there, not to
     * picocli's writer, so this needs the process).
     */
    @Test
    void aHostileReasonPhraseReachesTheRealStderrEscapedAtDebugLevel() throws Exception {
        try (HostileStunServer stun = HostileStunServer.start(
                java.net.InetAddress.getLoopbackAddress(),
                HostileStunServer.error(dev.natcheck.stun.ErrorCode.SERVER_ERROR, HostileTextTest.REASON))) {
            Result result = run(
                    Map.of(),
                    jar(
                            "-i",
                            "lo",
                            "-4",
                            "-s",
                            stun.spec(),
                            "--tcp-port",
                            String.valueOf(CheckCommandTest.closedTcpPort()),
                            "--timeout",
                            "1s",
                            "--behavior",
                            "-vv"));

            assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
            HostileTextTest.assertNothingRaw(result.out());
            HostileTextTest.assertNothingRaw(result.err());
            assertThat(result.err()).contains("DEBUG").contains("\\x1b[31mRED");
        }
    }

    /** A real SIGINT (what Ctrl-C sends) during the lifetime test: what is known is printed, exit 130. */
    @Test
    void sigintPrintsWhatIsKnownAndExits130() throws Exception {
        Process process =
                new ProcessBuilder(jar("--local", "-4", "--timeout", "1s", "--lifetime", "1m", "-o", "json")).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        // Start-up, the probe and the behaviour tests take a few seconds at most; the lifetime test a minute.
        Thread.sleep(5000);
        assertThat(process.isAlive()).as("still in the lifetime test").isTrue();

        Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(process.waitFor(20, TimeUnit.SECONDS))
                .as("stopped after SIGINT")
                .isTrue();
        assertThat(process.exitValue()).as(err.get()).isEqualTo(130);
        JsonNode probe = new ObjectMapper().readTree(out.get()).get("probes").get(0);
        assertThat(probe.get("verdict").asText()).isEqualTo("NO_NAT");
        assertThat(probe.get("evidence").toString()).contains("binding lifetime test interrupted after");
        assertThat(err.get()).contains("natcheck: interrupted: printed what was known");
    }
}
