package dev.natcheck.whoami;

import dev.natcheck.command.ManifestVersion;

/** Entry point of whoami-server.jar. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        if (ManifestVersion.printIfAlone(args, "whoami-server", WhoamiCommand.class)) {
            return; // the same text as picocli's --version, without building its command model
        }
        System.exit(WhoamiCommand.commandLine().execute(args));
    }
}
