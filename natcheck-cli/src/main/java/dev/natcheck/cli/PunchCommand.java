package dev.natcheck.cli;

import dev.natcheck.command.ManifestVersion;
import dev.natcheck.probe.ServerSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code natcheck punch offer|answer}: can two peers reach each other directly, how, and if not
 * why (docs/punch.md). The work is {@link PunchRun}'s; this class holds the flags.
 */
@Command(
        name = "punch",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        subcommands = {PunchCommand.Offer.class, PunchCommand.Answer.class},
        description = {
            "UDP hole punching between two peers, each behind its own NAT: can they reach each other directly, how, "
                    + "and if not, why.",
            "One side runs 'natcheck punch offer' and sends the printed token to the other, who runs "
                    + "'natcheck punch answer TOKEN' and sends its own token back; both then check every pair of "
                    + "addresses at once (ICE-style, RFC 8445) and report the path, a timeline and the prediction "
                    + "made beforehand from both NATs' behaviour."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  natcheck punch offer -s stun.example.org",
            "      prints a token; paste the peer's answer token when it comes",
            "  natcheck punch answer -s stun.example.org nc.AQB...",
            "  natcheck punch offer -s stun.example.org --turn turn.example.org --turn-user alice \\",
            "      --turn-password env:TURN_PASSWORD",
            "      also checks a path through the fastest TURN relay, and releases it at the end",
            "%nExit status:",
            "  0 a direct path was found, 1 none was (nor one through a relay), 2 usage error or bad token,",
            "  3 internal error, 4 no direct path but one through a TURN relay (--turn),",
            "  130/143 interrupted by SIGINT/SIGTERM (with --turn, after releasing the allocations)."
        })
public final class PunchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Natcheck parent;

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(), "say which side: 'natcheck punch offer' or 'natcheck punch answer TOKEN'");
    }

    Environment environment() {
        return parent == null ? Environment.system() : parent.environment();
    }

    /** The flags both sides take. */
    static final class Options {

        @Mixin
        TurnOptions turn = new TurnOptions();

        @Option(names = "-4", description = "IPv4 only.")
        boolean ipv4Only;

        @Option(names = "-6", description = "IPv6 only.")
        boolean ipv6Only;

        @Option(
                names = {"-i", "--interface"},
                paramLabel = "IFACE",
                description = "Use only this interface's address (repeatable).%n  e.g. -i eth0")
        List<String> interfaces = new ArrayList<>();

        @Option(
                names = {"-s", "--server"},
                paramLabel = "HOST[:PORT]",
                converter = Converters.ServerConverter.class,
                description = "STUN server for the public address and the NAT behaviour tests (repeatable; one "
                        + "with an alternate address, RFC 5780, finds the filtering too). Without -s the built-in "
                        + "public list.%n  e.g. -s stun.example.org")
        List<ServerSpec> servers = new ArrayList<>();

        @Option(
                names = "--timeout",
                paramLabel = "DURATION",
                defaultValue = "15s",
                converter = Converters.TimeoutConverter.class,
                description = "How long the checks run once this side has both tokens (default: ${DEFAULT-VALUE})."
                        + "%n  e.g. --timeout 30s")
        Duration timeout;

        @Option(
                names = "--stun-timeout",
                paramLabel = "DURATION",
                defaultValue = "4s",
                converter = Converters.TimeoutConverter.class,
                description = "Time for the STUN server's answers before the token is printed: the behaviour "
                        + "tests and the public address (default: ${DEFAULT-VALUE}).")
        Duration stunTimeout;

        @Option(
                names = "--birthday",
                description = "Against a symmetric NAT that picks ports at random, try the birthday trick: "
                        + "256 ports opened on the symmetric side, at most 1024 probes to random ports from the "
                        + "other, 125 a second. Either side may ask; the token carries it.")
        boolean birthday;

        @Option(
                names = "--token-file",
                paramLabel = "PATH",
                description = "Write this side's token to PATH (atomically) instead of stdout, for scripts; "
                        + "stdout then holds only the report.%n  e.g. --token-file /tmp/offer.token")
        Path tokenFile;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "FORMAT",
                defaultValue = "text",
                converter = FormatConverter.class,
                description = "text (timeline and result) or json (docs/punch.md) (default: ${DEFAULT-VALUE}).")
        Format output;

        @Option(
                names = {"-v", "--verbose"},
                description = "More on stderr (-v info, -vv debug); with -o text, the whole timeline.")
        boolean[] verbose = new boolean[0];

        @Option(
                names = {"-q", "--quiet"},
                description = "Only errors on stderr (no instructions).")
        boolean quiet;
    }

    /** The report formats punch has. */
    enum Format {
        TEXT,
        JSON
    }

    /** text, json (any case). */
    static final class FormatConverter implements ITypeConverter<Format> {
        @Override
        public Format convert(String text) {
            try {
                return Format.valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + text + "' is not a punch output format (text or json)");
            }
        }
    }

    /** {@code natcheck punch offer}. */
    @Command(
            name = "offer",
            mixinStandardHelpOptions = true,
            versionProvider = ManifestVersion.class,
            description = {
                "Gather this side's addresses and NAT behaviour, print a one-line token for the peer, then wait for "
                        + "the peer's answer token (pasted on stdin, or --answer-file) and run the checks.",
                "While waiting, the NAT mapping is kept alive with a STUN request every 15 s."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  natcheck punch offer -s stun.example.org",
                "  natcheck punch offer --token-file offer.tok --answer-file answer.tok -o json",
                "%nExit status:",
                "  0 a direct path was found, 1 none was (or no answer came), 2 usage error or bad token,",
                "  3 internal error."
            })
    static final class Offer implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @ParentCommand
        PunchCommand punch;

        @Mixin
        Options options = new Options();

        @Option(
                names = "--answer-file",
                paramLabel = "PATH",
                description = "Read the answer token from PATH once it appears, instead of stdin.%n"
                        + "  e.g. --answer-file answer.tok")
        Path answerFile;

        @Option(
                names = "--wait",
                paramLabel = "DURATION",
                defaultValue = "10m",
                converter = Converters.TimeoutConverter.class,
                description = "How long to wait for the answer token (default: ${DEFAULT-VALUE}).")
        Duration wait;

        @Override
        public Integer call() throws Exception {
            return new PunchRun(punch.environment(), options, spec.commandLine())
                    .offer(Optional.ofNullable(answerFile), wait);
        }
    }

    /** {@code natcheck punch answer TOKEN}. */
    @Command(
            name = "answer",
            mixinStandardHelpOptions = true,
            versionProvider = ManifestVersion.class,
            description = {
                "Read the peer's offer token, gather this side's addresses and NAT behaviour, print the answer token "
                        + "for the peer, and start the checks at once.",
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  natcheck punch answer -s stun.example.org nc.AQB...",
                "  natcheck punch answer --token-file answer.tok \"$(cat offer.tok)\"",
                "%nExit status:",
                "  0 a direct path was found, 1 none was, 2 usage error or bad token, 3 internal error."
            })
    static final class Answer implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @ParentCommand
        PunchCommand punch;

        @Mixin
        Options options = new Options();

        @Parameters(paramLabel = "TOKEN", description = "The offer token the peer sent (starts with 'nc.').")
        String token;

        @Override
        public Integer call() throws Exception {
            return new PunchRun(punch.environment(), options, spec.commandLine()).answer(token);
        }
    }
}
