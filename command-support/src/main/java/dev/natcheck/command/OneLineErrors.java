package dev.natcheck.command;

import picocli.CommandLine;

/**
 * A picocli command line whose usage errors are one line on stderr, {@code NAME: reason (see
 * 'NAME --help')}, NAME being the command or subcommand that failed, and the command's
 * exit status for invalid input (2 in every natcheck command): what a shell script or systemd's
 * journal can show whole.
 */
public final class OneLineErrors {

    private OneLineErrors() {}

    /** Wraps {@code command} in a command line with the one-line usage-error handler and {@link UnbrokenHelp}. */
    public static CommandLine commandLine(Object command) {
        CommandLine commandLine = UnbrokenHelp.install(new CommandLine(command));
        commandLine.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            String name = failed.getCommandSpec().qualifiedName();
            String reason = ex.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
            failed.getErr().println(name + ": " + reason + " (see '" + name + " --help')");
            failed.getErr().flush();
            return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
        return commandLine;
    }
}
