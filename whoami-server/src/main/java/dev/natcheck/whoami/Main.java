package dev.natcheck.whoami;

/** Entry point of whoami-server.jar. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(WhoamiCommand.commandLine().execute(args));
    }
}
