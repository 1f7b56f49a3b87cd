package dev.natcheck.cli;

import dev.natcheck.command.ManifestVersion;
import dev.natcheck.output.RelayJsonReport;
import dev.natcheck.output.RelayTextReport;
import dev.natcheck.probe.Family;
import dev.natcheck.relay.RelayReport;
import dev.natcheck.relay.RelaySurvey;
import dev.natcheck.relay.TurnCredentials;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code natcheck relay --turn RELAY...}: do these TURN relays work from here, and which is
 * fastest (docs/cli.md, "natcheck relay"). The work is {@link RelaySurvey}'s; this class holds the
 * flags, reads the secrets and prints the report.
 */
@Command(
        name = "relay",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        sortOptions = false,
        description = {
            "Do these TURN relays (RFC 8656) work from here, and which is fastest? Allocates a relayed address on "
                    + "every relay at once, sends datagrams from it to itself through the relay and measures the round "
                    + "trip, picks the fastest, and releases every allocation before exiting, also on errors and "
                    + "Ctrl-C.",
            "Credentials: --turn-user with --turn-password, or --turn-secret for time-limited credentials (coturn's "
                    + "use-auth-secret); a password or secret comes from a file or an environment variable, never from "
                    + "the command line."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  natcheck relay --turn turn.example.org --turn-user alice --turn-password env:TURN_PASSWORD",
            "  natcheck relay --turn turn1.example.org --turn 'turn:turn2.example.org:443?transport=tcp' \\",
            "      --turn-secret file:/etc/natcheck/turn-secret -o json"
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:some relay works (allocated, and traffic came back through it)",
            "1:none does",
            "2:usage error (a bad flag, an unreadable password file, an unset variable)",
            "3:internal error",
            "130:interrupted by SIGINT (Ctrl-C), after releasing every allocation",
            "143:interrupted by SIGTERM, after releasing every allocation"
        })
public final class RelayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Natcheck parent;

    @Mixin
    TurnOptions turn = new TurnOptions();

    @Option(names = "-4", description = "Reach the relays over IPv4 only.")
    boolean ipv4Only;

    @Option(names = "-6", description = "Reach the relays over IPv6 only.")
    boolean ipv6Only;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = Converters.TimeoutConverter.class,
            description = "Time for every relay's check; releasing what is still allocated takes at most 3 s more "
                    + "(default: ${DEFAULT-VALUE}).%n  e.g. --timeout 2s")
    Duration timeout;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "text",
            converter = RelayOutputConverter.class,
            description = "text (summary, table, one line per relay) or json (relay_schema 1) "
                    + "(default: ${DEFAULT-VALUE}).%n  e.g. -o json")
    String output;

    @Option(
            names = {"-v", "--verbose"},
            description =
                    "More on stderr (-v info, -vv debug); with -o text, also what each relay sent besides answers.")
    boolean[] verbose = new boolean[0];

    @Option(
            names = {"-q", "--quiet"},
            description = "Only errors on stderr.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        LogSetup.apply(verbose.length, quiet);
        Optional<TurnCredentials> credentials = credentials();
        Optional<Family> family =
                ipv4Only ? Optional.of(Family.IPV4) : ipv6Only ? Optional.of(Family.IPV6) : Optional.empty();
        Environment environment = parent == null ? Environment.system() : parent.environment();
        RelaySurvey survey = new RelaySurvey(environment.resolver());
        RelayReport report;
        int signal;
        try (InterruptOnSignal stop = InterruptOnSignal.interrupting(Thread.currentThread())) {
            report = survey.run(
                    turn.relays,
                    new RelaySurvey.Settings(
                            timeout, family, credentials, ManifestVersion.version(RelayCommand.class)));
            signal = stop.received();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.equals("json")) {
            new RelayJsonReport().write(report, out);
        } else {
            new RelayTextReport(verbose.length > 0).write(report, out);
        }
        if (report.interrupted()) {
            Thread.interrupted(); // the interruption was the signal's, and it has been answered
            return 128 + (signal > 0 ? signal : 2);
        }
        return report.exitCode();
    }

    private Optional<TurnCredentials> credentials() {
        if (ipv4Only && ipv6Only) {
            throw usage("-4 and -6 exclude each other (give neither to prefer IPv4)");
        }
        if (quiet && verbose.length > 0) {
            throw usage("-q and -v exclude each other (-q: errors only; -v: more detail)");
        }
        if (turn.relays.isEmpty()) {
            throw usage("give at least one --turn RELAY, e.g. --turn turn.example.org");
        }
        return turn.credentials(spec.commandLine());
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** text or json (any case). */
    static final class RelayOutputConverter implements ITypeConverter<String> {
        @Override
        public String convert(String text) {
            String format = text.strip().toLowerCase(Locale.ROOT);
            if (!format.equals("text") && !format.equals("json")) {
                throw new TypeConversionException(
                        "'" + text + "' is not an output format of natcheck relay (text or" + " json)");
            }
            return format;
        }
    }
}
