package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code natcheck --version} (or {@code -V}) alone is answered by main before picocli builds its
 * command model; the packaged jar must print byte for byte what picocli prints, so that the two
 * can never drift apart.
 */
class VersionFastPathIT {

    private static final Path JAR = Path.of("target", "natcheck.jar").toAbsolutePath();
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V"})
    void versionAlonePrintsExactlyWhatPicocliPrints(String flag) throws Exception {
        NatcheckJarIT.Result fast = NatcheckJarIT.run(Map.of(), List.of(JAVA, "-jar", JAR.toString(), flag));

        assertThat(fast.exitCode()).as(fast.err()).isZero();
        assertThat(fast.err()).isEmpty();
        assertThat(fast.out()).startsWith("natcheck 0.").isEqualTo(picocliVersionHelp(flag));
    }

    /** With anything beside it, --version goes through picocli, which prints the same text. */
    @ParameterizedTest
    @ValueSource(strings = {"-q", "--local"})
    void versionWithOtherArgumentsStillGoesThroughPicocli(String other) throws Exception {
        NatcheckJarIT.Result viaPicocli =
                NatcheckJarIT.run(Map.of(), List.of(JAVA, "-jar", JAR.toString(), "--version", other));

        assertThat(viaPicocli.exitCode()).as(viaPicocli.err()).isZero();
        assertThat(viaPicocli.out()).isEqualTo(picocliVersionHelp("--version"));
    }

    /**
     * What picocli itself prints for {@code flag} on natcheck's command line, run from the jar's
     * own classes (so the version is the jar manifest's, as in the child process).
     */
    private static String picocliVersionHelp(String flag) throws Exception {
        try (URLClassLoader jar =
                new URLClassLoader(new URL[] {JAR.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> natcheck = jar.loadClass(Natcheck.class.getName());
            Class<?> commandLineClass = jar.loadClass("picocli.CommandLine");
            Object commandLine = natcheck.getMethod("commandLine", natcheck)
                    .invoke(null, natcheck.getConstructor().newInstance());
            StringWriter out = new StringWriter();
            commandLineClass.getMethod("setOut", PrintWriter.class).invoke(commandLine, new PrintWriter(out));
            Object status = commandLineClass
                    .getMethod("execute", String[].class)
                    .invoke(commandLine, (Object) new String[] {flag});
            assertThat(status).isEqualTo(0);
            return out.toString();
        }
    }
}
