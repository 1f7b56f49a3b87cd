package dev.natcheck.stunserver;

import dev.natcheck.command.ManifestVersion;

/** Entry point of stun-server.jar. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        if (ManifestVersion.printIfAlone(args, "stun-server", StunServerCommand.class)) {
            return; // the same text as picocli's --version, without building its command model
        }
        System.exit(StunServerCommand.commandLine().execute(args));
    }
}
