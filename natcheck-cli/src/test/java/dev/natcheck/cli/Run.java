package dev.natcheck.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One natcheck invocation through picocli, the path a user takes, with stdout and stderr captured. */
record Run(int exitCode, String out, String err) {

    static Run of(Environment environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Natcheck.commandLine(new Natcheck(environment));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
