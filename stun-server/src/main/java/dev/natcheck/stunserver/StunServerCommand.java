package dev.natcheck.stunserver;

import dev.natcheck.address.AddressText;
import dev.natcheck.command.IpLiteralConverter;
import dev.natcheck.command.ManifestVersion;
import dev.natcheck.command.OneLineErrors;
import dev.natcheck.command.SocketAddressConverter;
import dev.natcheck.command.StopSignals;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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

/** The stun-server command line: parses flags, starts a {@link StunServer}, waits for a stop. */
@Command(
        name = "stun-server",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Answers STUN Binding requests (RFC 8489/5389, RFC 3489 clients too) with the address "
                    + "each client was seen from. With --alternate it is an RFC 5780 server: four sockets "
                    + "(address x port), OTHER-ADDRESS, RESPONSE-ORIGIN, CHANGE-REQUEST, RESPONSE-PORT.",
            "Never answers responses, indications or garbage; by default never sends an answer "
                    + "larger than its request. Logs go to stderr. Stops cleanly (exit 0) on SIGTERM or SIGINT."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped by SIGTERM/SIGINT", "1:could not listen, or stopped by an error", "2:invalid flags"})
public final class StunServerCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(StunServerCommand.class);

    @Option(
            names = "--listen",
            paramLabel = "ADDR",
            converter = IpLiteralConverter.class,
            description = "Address to listen on, IPv4 or IPv6 literal; repeat for several. "
                    + "Default: every address, IPv4 and IPv6 (one dual-stack socket).")
    List<InetAddress> listen = new ArrayList<>();

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "" + StunServerConfig.DEFAULT_PORT,
            description = "UDP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(
            names = "--alternate",
            paramLabel = "ADDR",
            converter = IpLiteralConverter.class,
            description = "Second address of this host for RFC 5780, at most one per family; each "
                    + "needs one --listen address of its family to pair with.")
    List<InetAddress> alternate = new ArrayList<>();

    @Option(
            names = "--alt-port",
            paramLabel = "PORT",
            defaultValue = "" + StunServerConfig.DEFAULT_ALT_PORT,
            description = "Alternate UDP port for RFC 5780 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int altPort;

    @Option(
            names = "--allow-amplification",
            description = "Answer even when the answer is larger than the request (plain third-party "
                    + "clients send 20-byte requests). Default: such answers are dropped and counted.")
    boolean allowAmplification;

    @Option(
            names = "--rate-limit",
            paramLabel = "RATE[:BURST]",
            defaultValue = "100:200",
            converter = RateLimitConverter.class,
            description = "Per-source token bucket: packets per second and burst, per IPv4 address or "
                    + "IPv6 /64 (default: ${DEFAULT-VALUE}); 'off' disables it.")
    RateLimit rateLimit;

    @Option(
            names = "--software",
            paramLabel = "TEXT",
            defaultValue = "",
            description = "SOFTWARE attribute to send, when it fits (default: none).")
    String software;

    @Option(
            names = "--metrics",
            paramLabel = "ADDR:PORT",
            converter = SocketAddressConverter.class,
            description = "Serve Prometheus metrics at http://ADDR:PORT/metrics (default: off).")
    InetSocketAddress metrics;

    @Option(
            names = "--web",
            paramLabel = "ADDR:PORT",
            converter = SocketAddressConverter.class,
            description = "Serve the browser NAT check at http://ADDR:PORT/ (a page running WebRTC "
                    + "ICE against this server's STUN sockets) and its JSON at /api/info; repeat for "
                    + "another address. Bare 20-byte requests from an address that fetched the page "
                    + "over TCP in the last 10 s are then answered even though their answers "
                    + "are larger (at most " + ProvenSources.ANSWERS + " per fetch). Default: off.")
    List<InetSocketAddress> web = new ArrayList<>();

    @Option(
            names = "--socket-io",
            paramLabel = "MODE",
            defaultValue = "auto",
            converter = SocketIoConverter.class,
            description = "How datagrams are moved: batched (Linux recvmmsg/sendmmsg, many per system "
                    + "call), nio (portable, one per call), or auto: batched where it runs "
                    + "(default: ${DEFAULT-VALUE}).")
    SocketIo socketIo;

    @Spec
    CommandSpec spec;

    /** The command line with natcheck's one-line error reporting: what main and the tests run. */
    public static CommandLine commandLine() {
        return OneLineErrors.commandLine(new StunServerCommand());
    }

    @Override
    public Integer call() throws InterruptedException {
        StunServerConfig config = config();
        // Before listening: a signal sent as soon as the "listening" line shows is ours, not the JVM's 143.
        StopSignals.Stop stop = StopSignals.install();
        StunServer server;
        try {
            server = StunServer.start(config, socketIo);
        } catch (IOException | IllegalStateException e) {
            log.error("{}", e.getMessage());
            return 1;
        }
        MetricsEndpoint endpoint = null;
        if (metrics != null) {
            try {
                endpoint = MetricsEndpoint.start(metrics, server);
                log.info("metrics on http://{}/metrics", AddressText.format(metrics.getAddress(), endpoint.port()));
            } catch (IOException e) {
                log.error("cannot serve metrics on {}: {}", AddressText.format(metrics), e.getMessage());
                server.close();
                return 1;
            }
        }
        WebCheck webCheck = null;
        if (!web.isEmpty()) {
            try {
                webCheck = WebCheck.start(web, server);
                log.info(
                        "browser check on {}",
                        webCheck.boundAddresses().stream()
                                .map(a -> "http://" + AddressText.format(a) + "/")
                                .toList());
            } catch (IOException e) {
                log.error("cannot serve the browser check: {}", e.getMessage());
                if (endpoint != null) {
                    endpoint.close();
                }
                server.close();
                return 1;
            }
        }
        // SIGTERM/SIGINT close the server and main returns 0; the hook covers any other JVM exit.
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().name("stun-shutdown").unstarted(server::close));
        stop.bind(server::close);
        server.awaitStopped();
        if (endpoint != null) {
            endpoint.close();
        }
        if (webCheck != null) {
            webCheck.close();
        }
        return server.failure() == null ? 0 : 1;
    }

    /** Checks the flags together and builds the configuration, or fails as a usage error. */
    StunServerConfig config() {
        try {
            return new StunServerConfig(listen, port, alternate, altPort, allowAmplification, rateLimit, software);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), flagNames(e.getMessage()));
        }
    }

    private static String flagNames(String message) {
        // The record speaks of its components; the user typed flags.
        return message.replace("altPort", "--alt-port")
                .replaceFirst("^port", "--port")
                .replaceFirst("^software", "--software")
                .replaceFirst("^alternate", "--alternate");
    }
}
