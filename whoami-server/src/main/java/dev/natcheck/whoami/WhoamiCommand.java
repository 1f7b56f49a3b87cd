package dev.natcheck.whoami;

import dev.natcheck.command.DurationConverter;
import dev.natcheck.command.IpLiteralConverter;
import dev.natcheck.command.ManifestVersion;
import dev.natcheck.command.MetricsServer;
import dev.natcheck.command.OneLineErrors;
import dev.natcheck.command.SocketAddressConverter;
import dev.natcheck.command.StopSignals;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The whoami-server command line: parses flags, starts a {@link WhoamiServer}, waits for a stop. */
@Command(
        name = "whoami-server",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Tells each TCP client the address it connected from, as one line "
                    + "(198.51.100.7:40000 or [2001:db8::7]:40000), then closes.",
            "Logs go to stderr. Stops cleanly (exit 0) on SIGTERM or SIGINT."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped by SIGTERM/SIGINT", "1:could not listen, or stopped by an error", "2:invalid flags"})
public final class WhoamiCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(WhoamiCommand.class);

    @Option(
            names = "--listen",
            paramLabel = "ADDR",
            converter = IpLiteralConverter.class,
            description = "Address to listen on, IPv4 or IPv6 literal; repeat for several. "
                    + "Default: every address, IPv4 and IPv6.")
    List<InetAddress> listen = new ArrayList<>();

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "" + WhoamiConfig.DEFAULT_PORT,
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            defaultValue = "" + WhoamiConfig.DEFAULT_MAX_CONNECTIONS,
            description = "Most connections held open at once; the oldest is closed to make room "
                    + "(default: ${DEFAULT-VALUE}). Keep it below the file descriptor limit.")
    int maxConnections;

    @Option(
            names = "--idle-timeout",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Close a connection this long after accept if the client has not "
                    + "closed it by then (default: ${DEFAULT-VALUE}; e.g. 500ms, 10s, 2m).")
    Duration idleTimeout;

    @Option(
            names = "--metrics",
            paramLabel = "ADDR:PORT",
            converter = SocketAddressConverter.class,
            description = "Serve Prometheus metrics at http://ADDR:PORT/metrics (default: off).")
    InetSocketAddress metrics;

    @Spec
    CommandSpec spec;

    /** The command line with natcheck's one-line error reporting: what main and the tests run. */
    public static CommandLine commandLine() {
        return OneLineErrors.commandLine(new WhoamiCommand());
    }

    @Override
    public Integer call() throws InterruptedException {
        WhoamiConfig config = config();
        // Before listening: a signal sent as soon as the "listening" line shows is ours, not the JVM's 143.
        StopSignals.Stop stop = StopSignals.install();
        WhoamiServer server;
        try {
            server = WhoamiServer.start(config);
        } catch (IOException e) {
            log.error("{}", e.getMessage());
            return 1;
        }
        MetricsServer endpoint = null;
        if (metrics != null) {
            try {
                endpoint = WhoamiMetrics.start(metrics, server);
                log.info("metrics on http://{}:{}/metrics", metrics.getAddress().getHostAddress(), endpoint.port());
            } catch (IOException e) {
                log.error("cannot serve metrics on {}: {}", metrics, e.getMessage());
                server.close();
                return 1;
            }
        }
        // SIGTERM/SIGINT close the server and main returns 0; the hook covers any other JVM exit.
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().name("whoami-shutdown").unstarted(server::close));
        stop.bind(server::close);
        server.awaitStopped();
        if (endpoint != null) {
            endpoint.close();
        }
        return server.failure() == null ? 0 : 1;
    }

    /** Checks the flags together and builds the configuration, or fails as a usage error. */
    WhoamiConfig config() {
        if (port < 0 || port > 65_535) {
            throw usage("--port must be between 0 and 65535, got " + port);
        }
        if (maxConnections < 1) {
            throw usage("--max-connections must be at least 1, got " + maxConnections);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw usage("--idle-timeout must be positive, got " + idleTimeout);
        }
        return new WhoamiConfig(listen, port, maxConnections, idleTimeout);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
