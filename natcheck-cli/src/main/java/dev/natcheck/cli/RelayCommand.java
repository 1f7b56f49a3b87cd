package dev.natcheck.cli;

import dev.natcheck.command.ManifestVersion;
import dev.natcheck.output.RelayJsonReport;
import dev.natcheck.output.RelayTextReport;
import dev.natcheck.probe.Family;
import dev.natcheck.relay.RelayReport;
import dev.natcheck.relay.RelaySurvey;
import dev.natcheck.relay.TurnCredentials;
import dev.natcheck.relay.TurnServer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
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

    /** More relays than anyone compares at once is a mistake, not a survey. */
    static final int MAX_RELAYS = 32;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Natcheck parent;

    /** Where {@code env:NAME} looks; tests hand in their own. */
    Map<String, String> variables = System.getenv();

    @Option(
            names = "--turn",
            paramLabel = "RELAY",
            required = true,
            converter = TurnServerConverter.class,
            description = "TURN relay: HOST[:PORT] (UDP, default port 3478) or turn:HOST[:PORT][?transport=udp|tcp]; "
                    + "repeatable, all checked at once. Over TCP the relayed address is still UDP: what reaches a relay "
                    + "from a network that blocks UDP.%n  e.g. --turn turn.example.org "
                    + "--turn 'turn:[2001:db8::1]:443?transport=tcp'")
    List<TurnServer> relays = new ArrayList<>();

    @Option(
            names = "--turn-user",
            paramLabel = "NAME",
            description = "Long-term credential user name (with --turn-password); with --turn-secret, the user id in "
                    + "the time-limited user name (default: natcheck).")
    String user;

    @Option(
            names = "--turn-password",
            paramLabel = "SOURCE",
            converter = SecretSourceConverter.class,
            description = "Where the --turn-user password is: file:PATH (one trailing newline ignored) or env:NAME."
                    + "%n  e.g. --turn-password env:TURN_PASSWORD")
    SecretSource password;

    @Option(
            names = "--turn-secret",
            paramLabel = "SOURCE",
            converter = SecretSourceConverter.class,
            description = "Where the secret shared with the relays is (coturn's static-auth-secret): file:PATH or "
                    + "env:NAME. natcheck makes time-limited credentials from it (TURN REST API), valid for an hour."
                    + "%n  e.g. --turn-secret file:/etc/natcheck/turn-secret")
    SecretSource secret;

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
                    relays,
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
        if (relays.size() > MAX_RELAYS) {
            throw usage("at most " + MAX_RELAYS + " relays at once, got " + relays.size());
        }
        if (password != null && secret != null) {
            throw usage("--turn-password and --turn-secret exclude each other (a relay takes one kind of credential)");
        }
        if (secret != null) {
            return Optional.of(new TurnCredentials.SharedSecret(
                    read("--turn-secret", secret), user == null ? TurnCredentials.DEFAULT_REST_USER : user));
        }
        if (password != null && user == null) {
            throw usage("--turn-password needs --turn-user NAME");
        }
        if (user != null && password == null) {
            throw usage("--turn-user needs --turn-password file:PATH or env:NAME (or use --turn-secret)");
        }
        if (user != null) {
            return Optional.of(new TurnCredentials.LongTerm(user, read("--turn-password", password)));
        }
        return Optional.empty();
    }

    private String read(String option, SecretSource source) {
        try {
            return source.read(variables);
        } catch (IllegalArgumentException e) {
            throw usage(option + " " + source + ": " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** {@code HOST[:PORT]} or {@code turn:HOST[:PORT][?transport=udp|tcp]}. */
    static final class TurnServerConverter implements ITypeConverter<TurnServer> {
        @Override
        public TurnServer convert(String text) {
            try {
                return TurnServer.parse(text.strip());
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code file:PATH} or {@code env:NAME}. */
    static final class SecretSourceConverter implements ITypeConverter<SecretSource> {
        @Override
        public SecretSource convert(String text) {
            try {
                return SecretSource.parse(text);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
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
