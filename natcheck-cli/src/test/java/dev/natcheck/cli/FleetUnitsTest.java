package dev.natcheck.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet monitoring units in natcheck-cli/systemd, checked by systemd itself, as the daemons'
 * units are (whoami-server's SystemdUnitTest): {@code systemd-analyze verify} on a copy whose
 * ExecStart points at a stand-in in a temporary directory (nothing is installed under
 * /opt/natcheck on a build machine), {@code systemd-analyze security} held to the daemons' 2.0,
 * and the tmpfiles.d entry applied by {@code systemd-tmpfiles} under a temporary root.
 */
class FleetUnitsTest {

    private static final Path SERVICE = Path.of("systemd", "natcheck-fleet.service");
    private static final Path TIMER = Path.of("systemd", "natcheck-fleet.timer");
    private static final Path TMPFILES = Path.of("systemd", "tmpfiles.d", "natcheck-fleet.conf");

    @TempDir
    Path root;

    @Test
    void systemdAcceptsTheServiceAndTheTimer() throws Exception {
        Path service = installedCopy(SERVICE);
        Path timer = Files.copy(TIMER, root.resolve(TIMER.getFileName()));

        Result verify = run("systemd-analyze", "verify", "--man=no", service.toString(), timer.toString());

        // Any complaint (unknown directive, bad value, missing binary) fails, even a warning.
        assertThat(verify.output()).as("systemd-analyze verify output").isEmpty();
        assertThat(verify.status()).isZero();
    }

    @Test
    void systemdRatesTheSandboxAsTightAsTheDaemons() throws Exception {
        Path service = installedCopy(SERVICE);

        // Exposure is 0 (locked down) to 10 (unprotected); threshold 20 means 2.0 and fails above.
        Result security = run(
                "systemd-analyze", "security", "--offline=true", "--threshold=20", "--no-pager", service.toString());

        assertThat(security.status()).as(security.output()).isZero();
        assertThat(security.output()).contains("Overall exposure level for natcheck-fleet.service");
    }

    @Test
    void theServiceRunsOneCheckAsADynamicUserIntoItsRuntimeDirectory() throws IOException {
        List<String> directives = directives(SERVICE);

        assertThat(directives)
                .contains(
                        "Type=oneshot",
                        "ExecStart=/opt/natcheck/bin/natcheck -q -o brief --prometheus-file "
                                + "/run/natcheck/natcheck.prom $NATCHECK_OPTS",
                        "SuccessExitStatus=1",
                        "RuntimeDirectory=natcheck",
                        "RuntimeDirectoryMode=0755",
                        "RuntimeDirectoryPreserve=yes",
                        "DynamicUser=yes",
                        "NoNewPrivileges=yes",
                        "ProtectSystem=strict",
                        "PrivateTmp=yes",
                        "RestrictAddressFamilies=AF_INET AF_INET6",
                        "CapabilityBoundingSet=");
        assertThat(directives)
                .noneMatch(d -> d.startsWith("AmbientCapabilities="))
                .noneMatch(d -> d.startsWith("MemoryDenyWriteExecute="))
                .noneMatch(d -> d.startsWith("ProcSubset="))
                .noneMatch(d -> d.startsWith("PrivateNetwork="));
    }

    /** Every 5 minutes on the clock, at a random offset that is fixed per host: never in step. */
    @Test
    void theTimerSpreadsAFleetOverTheInterval() throws IOException {
        assertThat(directives(TIMER))
                .contains(
                        "OnCalendar=*:0/5",
                        "RandomizedDelaySec=5min",
                        "FixedRandomDelay=yes",
                        "WantedBy=timers.target");
    }

    /**
     * systemd-tmpfiles creates, under a temporary root, what the units' file layout needs: the
     * runtime directory, an empty textfile (so the link never dangles) and the link in
     * node_exporter's textfile directory. (That node_exporter follows the link and reads what
     * natcheck writes is FleetMonitoringIT's.)
     */
    @Test
    void tmpfilesLinksTheTextfileIntoNodeExportersDirectory() throws Exception {
        assumeThat(onPath("systemd-tmpfiles"))
                .as("systemd-tmpfiles is not installed (apt-get install systemd)")
                .isTrue();
        assumeThat(System.getProperty("user.name"))
                .as("the entries name root as owner, which only root can give")
                .isEqualTo("root");

        Result create = run(
                "systemd-tmpfiles",
                "--root=" + root,
                "--create",
                TMPFILES.toAbsolutePath().toString());

        assertThat(create.output()).isEmpty();
        assertThat(create.status()).isZero();
        Path link = root.resolve("var/lib/prometheus/node-exporter/natcheck.prom");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("/run/natcheck/natcheck.prom"));
        Path file = root.resolve("run/natcheck/natcheck.prom");
        assertThat(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.size(file)).isZero();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.getPosixFilePermissions(file.getParent()))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The unit's directives, comments, blank lines and section headers left out. */
    private static List<String> directives(Path unit) throws IOException {
        try (Stream<String> lines = Files.lines(unit)) {
            return lines.map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("["))
                    .toList();
        }
    }

    /** The unit as if installed under {@link #root} instead of /opt/natcheck, a stand-in at ExecStart. */
    private Path installedCopy(Path unit) throws IOException {
        assumeThat(onPath("systemd-analyze"))
                .as("systemd-analyze is not installed (apt-get install systemd): unit not verified")
                .isTrue();
        Path standIn = root.resolve("bin/natcheck");
        Files.createDirectories(standIn.getParent());
        Files.writeString(standIn, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path copy = root.resolve(unit.getFileName());
        Files.writeString(copy, Files.readString(unit, UTF_8).replace("/opt/natcheck/", root + "/"), UTF_8);
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
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command)))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
        }
        return new Result(process.exitValue(), output.strip());
    }
}
