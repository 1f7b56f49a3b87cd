package dev.natcheck.stunserver;

/** Entry point of stun-server.jar. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(StunServerCommand.commandLine().execute(args));
    }
}
