package dev.natcheck.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Debian package as an administrator meets it: install-check.sh installs the package the
 * build just made into a throw-away systemd-nspawn root, runs natcheck, both daemons under
 * their units, the man pages and the completion from the installed paths, purges, and checks
 * nothing is left. Needs root and systemd-nspawn; skipped with the reason otherwise.
 */
class DebianPackageIT {

    private static final Path ROOT =
            Path.of(System.getProperty("natcheck.root", "..")).toAbsolutePath();
    private static final Path DEB = Path.of(System.getProperty("natcheck.deb", "missing.deb"));

    /** One line per check install-check.sh passes; a check that silently did not run fails the test. */
    private static final List<String> CHECKS = List.of(
            "no Java runtime on this root",
            "dpkg -i natcheck.deb",
            "natcheck-stun.service installed, disabled and inactive",
            "natcheck-whoami.service installed, disabled and inactive",
            "natcheck-fleet.service installed, disabled and inactive",
            "natcheck --version: natcheck ",
            "the package's AOT cache fits its runtime and jar",
            "natcheck --local: lo ipv4 NO_NAT 127.0.0.1:",
            "stun-server --version: stun-server ",
            "whoami-server --version: whoami-server ",
            "natcheck-stun.service active: the package's runtime, dynamic uid",
            "natcheck-whoami.service active: the package's runtime, dynamic uid",
            "natcheck against stun-server on UDP 3478: lo ipv4 NO_NAT 127.0.0.1:",
            "natcheck's TCP fallback against whoami-server on TCP 8080: transport tcp, UDP_BLOCKED",
            "systemctl stop natcheck-stun.service: Result=success",
            "systemctl stop natcheck-whoami.service: Result=success",
            "natcheck-fleet.service: NO_NAT for lo ipv4 and ipv6 in /run/natcheck/natcheck.prom (dynamic uid",
            "natcheck-fleet.service runs on the package's runtime as dynamic uid",
            "natcheck-fleet.service: one brief line per probe and run in the journal",
            "natcheck-fleet.service with stun-server stopped: UDP_BLOCKED, udp_reachable 0, still a success",
            "natcheck-fleet.service with both stopped: REFUSED, failed runs counted, the last success kept, still running",
            "systemd-analyze security: Overall exposure level for natcheck-fleet.service: ",
            "systemctl stop natcheck-fleet.service: Result=success, exit status 0, its link and /run/natcheck gone",
            "man -l renders ",
            "bash completion loads and completes 'natcheck --tim' to --timeout",
            "systemd-analyze verify: silent on the three installed units",
            "an administrator enabled natcheck-whoami.service and natcheck-fleet.service",
            "dpkg --purge natcheck",
            "nothing left behind outside /usr",
            "nothing left behind in /usr",
            "no natcheck state in",
            "dpkg knows natcheck no more");

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void installsRunsAndPurgesCleanlyInAFreshRoot() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "installing a package needs root");
        assumeTrue(onPath("systemd-nspawn"), "needs systemd-nspawn (apt-get install systemd-container)");
        assertThat(DEB).as("the package the build made").isRegularFile();

        Process process = new ProcessBuilder(
                        ROOT.resolve("packaging/install-check.sh").toString(), DEB.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        System.out.println(output);

        assertThat(output).doesNotContain("  FAIL  ");
        for (String check : CHECKS) {
            assertThat(output).as("check '%s' passed", check).contains("  ok    " + check);
        }
        if (onPath("lintian")) {
            assertThat(output).contains("  ok    lintian: no error");
        }
        if (onPath("prometheus-node-exporter") && onPath("curl")) {
            assertThat(output)
                    .contains("  ok    node_exporter, as nobody, serves the fleet check's textfile through the link");
        }
        if (onPath("dpkg-shlibdeps")) {
            assertThat(output).containsPattern("  ok    Depends \\(.*libc6.*\\) has what dpkg-shlibdeps finds");
        }
        assertThat(status).as("install-check.sh exit status").isZero();
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
