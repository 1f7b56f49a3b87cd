package dev.natcheck.command;

import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code --version} of every natcheck command: its name and the Implementation-Version the build
 * wrote into the jar's manifest, then the Java runtime it runs on (natcheck needs a JDK 25).
 */
public final class ManifestVersion implements IVersionProvider {

    /** What a command run from classes rather than its jar calls its version. */
    public static final String DEVELOPMENT_BUILD = "development build";

    @Spec
    CommandSpec spec;

    /** The version in the manifest of the jar {@code command} was loaded from, or {@link #DEVELOPMENT_BUILD}. */
    public static String version(Class<?> command) {
        String version = command.getPackage().getImplementationVersion();
        return version == null ? DEVELOPMENT_BUILD : version;
    }

    /** The {@code --version} lines of the command named {@code name} whose class is {@code command}. */
    public static String[] lines(String name, Class<?> command) {
        return new String[] {
            name + " " + version(command), "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
        };
    }

    /**
     * When {@code args} is {@code --version} or {@code -V} alone, prints {@link #lines} to stdout
     * as picocli would and returns true; otherwise prints nothing and returns false. A main asks
     * this first: building picocli's command model costs more start-up time than the JVM itself,
     * for the commonest question. Any other arguments (e.g. {@code --version -q}) go to picocli.
     */
    public static boolean printIfAlone(String[] args, String name, Class<?> command) {
        if (args.length != 1 || !(args[0].equals("--version") || args[0].equals("-V"))) {
            return false;
        }
        for (String line : lines(name, command)) {
            System.out.println(line);
        }
        System.out.flush();
        return true;
    }

    @Override
    public String[] getVersion() {
        return lines(spec.root().name(), spec.root().userObject().getClass());
    }
}
