package dev.natcheck.cli;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * natcheck-fleet.service and its link helper, natcheck-cli/systemd and bin: the unit checked by
 * systemd itself, as the daemons' units are (whoami-server's SystemdUnitTest):
 * {@code systemd-analyze verify} on a copy whose commands point at stand-ins in a temporary
 * directory (nothing is installed under /opt/natcheck on a build machine), {@code systemd-analyze
 * security} held to the daemons' 2.0; and {@code natcheck-textfile-link} run for real on a
 * temporary textfile directory. The unit under a real systemd, with node_exporter reading what it
 * writes: packaging/install-check.sh.
 */
class FleetUnitsTest {

    private static final Path SERVICE = Path.of("systemd", "natcheck-fleet.service");
    private static final Path LINK_HELPER =
            Path.of("bin", "natcheck-textfile-link").toAbsolutePath();
    private static final Path TARGET = Path.of("/run/natcheck/natcheck.prom");

    @TempDir
    Path root;

    @Test
    void systemdAcceptsTheService() throws Exception {
        Path service = installedCopy(SERVICE);

        Result verify = run(List.of(), "systemd-analyze", "verify", "--man=no", service.toString());

        // Any complaint (unknown directive, bad value, missing binary) fails, even a warning.
        assertThat(verify.output()).as("systemd-analyze verify output").isEmpty();
        assertThat(verify.status()).isZero();
    }

    @Test
    void systemdRatesTheSandboxAsTightAsTheDaemons() throws Exception {
        Path service = installedCopy(SERVICE);

        // Exposure is 0 (locked down) to 10 (unprotected); threshold 20 means 2.0 and fails above.
        Result security = run(
                List.of(),
                "systemd-analyze",
                "security",
                "--offline=true",
                "--threshold=20",
                "--no-pager",
                service.toString());

        assertThat(security.status()).as(security.output()).isZero();
        assertThat(security.output()).contains("Overall exposure level for natcheck-fleet.service");
    }

    @Test
    void theServiceRunsNatcheckEveryAsADynamicUserIntoItsRuntimeDirectory() throws IOException {
        List<String> directives = directives(SERVICE);

        assertThat(directives)
                .contains(
                        "Type=exec",
                        "Environment=NATCHECK_EVERY=5m",
                        "ExecStart=/opt/natcheck/bin/natcheck --every ${NATCHECK_EVERY} -q -o brief --prometheus-file "
                                + "/run/natcheck/natcheck.prom $NATCHECK_OPTS",
                        "ExecStartPre=+/opt/natcheck/bin/natcheck-textfile-link add",
                        "ExecStopPost=+/opt/natcheck/bin/natcheck-textfile-link remove",
                        "RuntimeDirectory=natcheck",
                        "RuntimeDirectoryMode=0755",
                        "DynamicUser=yes",
                        "NoNewPrivileges=yes",
                        "ProtectSystem=strict",
                        "PrivateTmp=yes",
                        "RestrictAddressFamilies=AF_INET AF_INET6",
                        "CapabilityBoundingSet=",
                        "WantedBy=multi-user.target");
        // A preserved runtime directory of a dynamic user is private (/run/private, 0700), out of
        // node_exporter's reach; and the JVM needs what the daemons' units leave out.
        assertThat(directives)
                .noneMatch(d -> d.startsWith("RuntimeDirectoryPreserve="))
                .noneMatch(d -> d.startsWith("AmbientCapabilities="))
                .noneMatch(d -> d.startsWith("MemoryDenyWriteExecute="))
                .noneMatch(d -> d.startsWith("ProcSubset="))
                .noneMatch(d -> d.startsWith("PrivateNetwork="));
        // Only the link helper runs as root.
        assertThat(directives.stream().filter(d -> d.contains("=+")))
                .allSatisfy(d -> assertThat(d).contains("/opt/natcheck/bin/natcheck-textfile-link "));
    }

    @Test
    void theLinkHelperMakesItsLinkAndTakesOnlyItsOwnAway() throws Exception {
        Path textfiles = Files.createDirectory(root.resolve("textfile"));
        Path link = textfiles.resolve("natcheck.prom");
        List<String> env = List.of("NATCHECK_TEXTFILE_DIR=" + textfiles);

        assertThat(run(env, "sh", LINK_HELPER.toString(), "add").status()).isZero();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(TARGET);
        assertThat(run(env, "sh", LINK_HELPER.toString(), "add"))
                .as("again: nothing to do")
                .isEqualTo(new Result(0, ""));

        assertThat(run(env, "sh", LINK_HELPER.toString(), "remove").status()).isZero();
        assertThat(link).doesNotExist();
        assertThat(Files.isSymbolicLink(link)).isFalse();
        assertThat(run(env, "sh", LINK_HELPER.toString(), "remove")).isEqualTo(new Result(0, ""));
    }

    /** An administrator's own natcheck.prom (natcheck from cron) is never replaced or removed. */
    @Test
    void theLinkHelperLeavesAnotherFileOfTheSameNameAlone() throws Exception {
        Path textfiles = Files.createDirectory(root.resolve("textfile"));
        Path own = Files.writeString(textfiles.resolve("natcheck.prom"), "natcheck_build_info{version=\"cron\"} 1\n");
        List<String> env = List.of("NATCHECK_TEXTFILE_DIR=" + textfiles);

        Result add = run(env, "sh", LINK_HELPER.toString(), "add");
        Result remove = run(env, "sh", LINK_HELPER.toString(), "remove");

        assertThat(add.status()).isZero();
        assertThat(add.output()).contains("exists and is not natcheck-fleet's link: left as it is");
        assertThat(remove).isEqualTo(new Result(0, ""));
        assertThat(Files.isSymbolicLink(own)).isFalse();
        assertThat(Files.readString(own)).contains("version=\"cron\"");

        // Nor a link of someone else's, to somewhere else.
        Files.delete(own);
        Files.createSymbolicLink(own, Path.of("/var/tmp/elsewhere.prom"));
        assertThat(run(env, "sh", LINK_HELPER.toString(), "remove").status()).isZero();
        assertThat(Files.readSymbolicLink(own)).isEqualTo(Path.of("/var/tmp/elsewhere.prom"));
    }

    /** Without node_exporter's directory there is nothing to link into, and nothing is created. */
    @Test
    void theLinkHelperCreatesNoDirectory() throws Exception {
        Path missing = root.resolve("no-node-exporter");

        Result add = run(List.of("NATCHECK_TEXTFILE_DIR=" + missing), "sh", LINK_HELPER.toString(), "add");

        assertThat(add.status()).isZero();
        assertThat(add.output()).contains("does not exist");
        assertThat(missing).doesNotExist();
        assertThat(run(List.of(), "sh", LINK_HELPER.toString(), "frob").status())
                .isEqualTo(2);
    }

    /** The unit's directives, comments, blank lines and section headers left out. */
    private static List<String> directives(Path unit) throws IOException {
        try (Stream<String> lines = Files.lines(unit)) {
            return lines.map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("["))
                    .toList();
        }
    }

    /** The unit as if installed under {@link #root} instead of /opt/natcheck, stand-ins for its programs. */
    private Path installedCopy(Path unit) throws IOException {
        assumeThat(onPath("systemd-analyze"))
                .as("systemd-analyze is not installed (apt-get install systemd): unit not verified")
                .isTrue();
        String text = Files.readString(unit, UTF_8);
        Matcher program = Pattern.compile("/opt/natcheck/(bin/[a-z-]+)").matcher(text);
        while (program.find()) {
            Path standIn = root.resolve(program.group(1));
            Files.createDirectories(standIn.getParent());
            Files.writeString(standIn, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwxr-xr-x"));
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

    private static Result run(List<String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true);
        for (String variable : environment) {
            String[] nameValue = variable.split("=", 2);
            builder.environment().put(nameValue[0], nameValue[1]);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
        }
        return new Result(process.exitValue(), output.strip());
    }
}
