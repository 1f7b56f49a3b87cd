package dev.natcheck.cli;

import dev.natcheck.command.ManifestVersion;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code natcheck completion}: a bash completion script (zsh loads it through bashcompinit). */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = {"Print a bash/zsh completion script for natcheck."},
        footerHeading = "%nInstall:%n",
        footer = {
            "  bash:",
            "    natcheck completion > ~/.local/share/bash-completion/completions/natcheck",
            "  zsh:",
            "    autoload -U +X bashcompinit && bashcompinit; source <(natcheck completion)"
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the script was printed", "2:usage error", "3:internal error"})
public final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** What picocli writes for an option whose values it cannot know: complete nothing. */
    private static final String NO_VALUES = "    '-i'|'--interface')\n      return\n      ;;\n";

    /** Interface names, read when completing, from the machine the shell runs on. */
    private static final String INTERFACE_NAMES = "    '-i'|'--interface')\n"
            + "      local IFS=$'\\n'\n"
            + "      COMPREPLY=( $( compgen -W \"$(ls /sys/class/net 2>/dev/null)\" -- \"${curr_word}\" ) )\n"
            + "      return 0\n"
            + "      ;;\n";

    @Override
    public Integer call() {
        String script = bash(AutoComplete.bash("natcheck", spec.root().commandLine()));
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /**
     * picocli's script with two corrections: after {@code -i} it completes this machine's
     * interface names (picocli would offer nothing, and the shell fell back to other words), and
     * {@code -v}, a repeatable flag, takes no value (picocli took it for an option with one, so
     * nothing completed after it).
     */
    static String bash(String script) {
        return script.replace(NO_VALUES, INTERFACE_NAMES)
                .replace("    '-v'|'--verbose')\n      return\n      ;;\n", "")
                .replace(" '-v' '--verbose'\"", "\"")
                .replace(
                        "'-q' '--quiet' '-h' '--help' '-V' '--version'\"",
                        "'-q' '--quiet' '-v' '--verbose' '-h' '--help' '-V' '--version'\"");
    }
}
