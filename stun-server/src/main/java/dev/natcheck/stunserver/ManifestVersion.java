package dev.natcheck.stunserver;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the Implementation-Version the build wrote into the jar's manifest. */
public final class ManifestVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = ManifestVersion.class.getPackage().getImplementationVersion();
        return new String[] {
            "stun-server " + (version != null ? version : "(version unknown: not run from the jar)"),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}
