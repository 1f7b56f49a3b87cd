package dev.natcheck.whoami;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both daemons' systemd units, checked by systemd itself. {@code systemd-analyze verify} insists
 * that ExecStart exists, and nothing is installed under /opt/natcheck on a build machine, so each
 * unit is verified as a copy in a temporary directory with /opt/natcheck rewritten to that
 * directory, where a stand-in executable sits at the same relative path.
 */
class SystemdUnitTest {

    @TempDir
    Path root;

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
      systemd/natcheck-whoami.service,            /opt/natcheck/bin/whoami-server $WHOAMI_OPTS
      ../stun-server/systemd/natcheck-stun.service, /opt/natcheck/bin/stun-server $STUN_OPTS
      """)
    void systemdAcceptsTheUnit(String unitPath, String execStart) throws Exception {
        Path unit = Path.of(unitPath);
        assertThat(directives(unit)).contains("ExecStart=" + execStart);
        Path copy = installedCopy(unit);

        Result verify = run("systemd-analyze", "verify", "--man=no", copy.toString());

        // Any complaint (unknown directive, bad value, missing binary) fails the unit, even a warning.
        assertThat(verify.output()).as("systemd-analyze verify output").isEmpty();
        assertThat(verify.status()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
      systemd/natcheck-whoami.service
      ../stun-server/systemd/natcheck-stun.service
      """)
    void systemdRatesTheSandboxAsTight(String unitPath) throws Exception {
        Path copy = installedCopy(Path.of(unitPath));

        // Exposure is 0 (locked down) to 10 (unprotected); threshold 20 means 2.0 and fails above.
        // The units score 1.4: a dropped protection directive pushes them over.
        Result security =
                run("systemd-analyze", "security", "--offline=true", "--threshold=20", "--no-pager", copy.toString());

        assertThat(security.status()).as(security.output()).isZero();
        assertThat(security.output()).contains("Overall exposure level for " + copy.getFileName());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
      systemd/natcheck-whoami.service
      ../stun-server/systemd/natcheck-stun.service
      """)
    void runsUnprivilegedWithTheRequiredProtections(String unitPath) throws IOException {
        List<String> directives = directives(Path.of(unitPath));

        assertThat(directives)
                .contains(
                        "DynamicUser=yes",
                        "NoNewPrivileges=yes",
                        "ProtectSystem=strict",
                        "PrivateTmp=yes",
                        "RestrictAddressFamilies=AF_INET AF_INET6",
                        "CapabilityBoundingSet=");
        // Default ports are above 1024: no capability; and the JIT needs writable+executable memory.
        assertThat(directives)
                .noneMatch(d -> d.startsWith("AmbientCapabilities="))
                .noneMatch(d -> d.startsWith("MemoryDenyWriteExecute="))
                .noneMatch(d -> d.startsWith("ProcSubset="));
    }

    /** The unit's directives, comments and blank lines left out. */
    private static List<String> directives(Path unit) throws IOException {
        try (Stream<String> lines = Files.lines(unit)) {
            return lines.map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("["))
                    .toList();
        }
    }

    /** The unit as if installed under {@link #root} instead of /opt/natcheck. */
    private Path installedCopy(Path unit) throws IOException {
        assumeThat(onPath("systemd-analyze"))
                .as("systemd-analyze is not installed (apt-get install systemd): unit not verified")
                .isTrue();
        String text = Files.readString(unit, UTF_8);
        for (String line : text.lines().toList()) {
            if (line.startsWith("ExecStart=")) {
                String binary = line.substring("ExecStart=".length()).split(" ")[0];
                Path standIn = root.resolve(Path.of("/opt/natcheck").relativize(Path.of(binary)));
                Files.createDirectories(standIn.getParent());
                Files.writeString(standIn, "#!/bin/sh\nexit 0\n");
                Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Path copy = root.resolve(unit.getFileName());
        Files.writeString(copy, text.replace("/opt/natcheck/", root + "/"), UTF_8);
        return copy;
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private record Result(int status, String output) {}

    private static Result run(String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of(command));
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
        }
        return new Result(process.exitValue(), output.strip());
    }
}
