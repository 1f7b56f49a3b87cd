package dev.natcheck.lab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Skips a test, with the reason, where the lab or an artifact it needs is not available. */
final class LabAssumptions {

    static final Lab LAB = Lab.local();

    private LabAssumptions() {}

    /** Skips unless this machine can build namespaces (root, Linux, iproute2, iptables). */
    static Lab assumeLab() {
        Optional<String> reason = LAB.unavailableReason();
        assumeTrue(reason.isEmpty(), () -> "NAT lab skipped: " + reason.orElseThrow());
        return LAB;
    }

    /** Skips unless the project file exists (a jar the reactor has not packaged yet). */
    static Path assumeArtifact(String relative) {
        Optional<Path> path = LAB.artifact(relative);
        assumeTrue(path.isPresent(), () -> relative + " is not built (run ./mvnw package first); test skipped");
        return path.orElseThrow();
    }

    /** Skips unless {@code tool} is on the PATH (e.g. coturn's turnserver). */
    static void assumeTool(String tool) {
        ExecResult which =
                CommandRunner.run(List.of("sh", "-c", "command -v " + tool), Map.of(), Duration.ofSeconds(10));
        assumeTrue(which.succeeded(), () -> tool + " is not installed (.ci/run installs it); test skipped");
    }
}
