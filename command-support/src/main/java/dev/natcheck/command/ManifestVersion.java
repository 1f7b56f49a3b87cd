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

    @Override
    public String[] getVersion() {
        return new String[] {
            spec.root().name() + " " + version(spec.root().userObject().getClass()),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}
