package dev.natcheck.cli;

import dev.natcheck.relay.TurnCredentials;
import dev.natcheck.relay.TurnServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * The TURN relay flags {@code natcheck relay} and {@code natcheck punch} share: the relays, and
 * the credentials for them, a password or secret read from a file or an environment variable,
 * never from the command line (docs/cli.md, "natcheck relay").
 */
final class TurnOptions {

    /** More relays than anyone compares at once is a mistake, not a survey. */
    static final int MAX_RELAYS = 32;

    /** Where {@code env:NAME} looks; tests hand in their own. */
    Map<String, String> variables = System.getenv();

    @Option(
            names = "--turn",
            paramLabel = "RELAY",
            converter = TurnServerConverter.class,
            description = "TURN relay: HOST[:PORT] (UDP, default port 3478) or turn:HOST[:PORT][?transport=udp|tcp]; "
                    + "repeatable. Over TCP the relayed address is still UDP: what reaches a relay from a network "
                    + "that blocks UDP.%n  e.g. --turn turn.example.org --turn 'turn:[2001:db8::1]:443?transport=tcp'")
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

    /**
     * The credentials the flags name, read now; empty without any.
     *
     * @throws ParameterException (a usage error) for flags that do not go together or a secret
     *     that cannot be read
     */
    Optional<TurnCredentials> credentials(CommandLine commandLine) {
        if (relays.size() > MAX_RELAYS) {
            throw new ParameterException(
                    commandLine, "at most " + MAX_RELAYS + " relays at once, got " + relays.size());
        }
        if (password != null && secret != null) {
            throw new ParameterException(
                    commandLine,
                    "--turn-password and --turn-secret exclude each other (a relay takes one kind of credential)");
        }
        if (secret != null) {
            return Optional.of(new TurnCredentials.SharedSecret(
                    read(commandLine, "--turn-secret", secret),
                    user == null ? TurnCredentials.DEFAULT_REST_USER : user));
        }
        if (password != null && user == null) {
            throw new ParameterException(commandLine, "--turn-password needs --turn-user NAME");
        }
        if (user != null && password == null) {
            throw new ParameterException(
                    commandLine, "--turn-user needs --turn-password file:PATH or env:NAME (or use --turn-secret)");
        }
        if (user != null) {
            return Optional.of(new TurnCredentials.LongTerm(user, read(commandLine, "--turn-password", password)));
        }
        return Optional.empty();
    }

    private String read(CommandLine commandLine, String option, SecretSource source) {
        try {
            return source.read(variables);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, option + " " + source + ": " + e.getMessage());
        }
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
}
