package dev.natcheck.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: Implementation-Version from the jar manifest. */
public final class ManifestVersion implements IVersionProvider {

    /** The version, or "development build" when running from classes rather than the jar. */
    public static String version() {
        String version = Natcheck.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"natcheck " + version()};
    }
}
