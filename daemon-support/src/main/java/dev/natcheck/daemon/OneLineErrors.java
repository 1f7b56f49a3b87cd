package dev.natcheck.daemon;

import picocli.CommandLine;

/**
 * A picocli command line whose usage errors are one line on stderr, {@code NAME: reason (see
 * --help)}, and exit status 2: what a shell script or systemd's journal can show whole.
 */
public final class OneLineErrors {

    private OneLineErrors() {}

    /** Wraps {@code command} in a command line with the one-line usage-error handler. */
    public static CommandLine commandLine(Object command) {
        CommandLine commandLine = UnbrokenHelp.install(new CommandLine(command));
        commandLine.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            String reason = ex.getMessage().strip().replaceAll("\\s*\\R\\s*", "; ");
            failed.getErr().println(failed.getCommandName() + ": " + reason + " (see --help)");
            failed.getErr().flush();
            return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
        return commandLine;
    }
}
