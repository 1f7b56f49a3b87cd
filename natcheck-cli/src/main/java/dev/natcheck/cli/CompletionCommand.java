package dev.natcheck.cli;

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
            "  bash:  natcheck completion > ~/.local/share/bash-completion/completions/natcheck",
            "  zsh:   autoload -U +X bashcompinit && bashcompinit; source <(natcheck completion)"
        })
public final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("natcheck", spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
