package dev.natcheck.stun;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * coturn's {@code turnserver} as a TURN relay on 127.0.0.1, UDP and TCP on one port that was free
 * at start, for the codec's wire tests and (through this module's test jar) natcheck's relay
 * client tests. Everything it reads is on the command line ({@code -n}:
 * no /etc/turnserver.conf):
 *
 * <ul>
 *   <li>{@code --listening-ip 127.0.0.1 --relay-ip 127.0.0.1}: client and relayed addresses stay on
 *       loopback; {@code --allow-loopback-peers}: coturn refuses peers on 127.0.0.0/8 by default
 *       (403), and natcheck's echoes go to the relayed address itself;
 *   <li>{@code --lt-cred-mech --user NAME:PASSWORD} or {@code --use-auth-secret
 *       --static-auth-secret S}, with {@code --realm};
 *   <li>{@code --no-cli} (no telnet admin port that would collide between runs), {@code --no-tls
 *       --no-dtls}; TCP stays on, for TURN over TCP;
 *   <li>{@code --userdb} and {@code --pidfile} in a temporary directory, {@code --log-file stdout
 *       --verbose} redirected to a file there that the test reads back: every request and the
 *       error code of every answer.
 * </ul>
 *
 * A test may add options, e.g. {@code --stale-nonce=1} so that a nonce goes stale within the test.
 * Stopped through its own process handle; the directory is removed.
 */
public final class Coturn implements AutoCloseable {

    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    public static final String REALM = "natcheck.test";

    private final Process process;
    private final Path dir;
    private final int port;

    private Coturn(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** True when turnserver is installed (Debian package coturn). */
    public static boolean installed() {
        return new File("/usr/bin/turnserver").canExecute();
    }

    /** A relay with one long-term user. */
    public static Coturn withUser(String user, String password, String... extra)
            throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(List.of("--lt-cred-mech", "--user", user + ":" + password));
        options.addAll(List.of(extra));
        return start(options);
    }

    /** A relay taking TURN REST API credentials made with {@code secret}. */
    public static Coturn withSharedSecret(String secret) throws IOException, InterruptedException {
        return start(List.of("--use-auth-secret", "--static-auth-secret", secret));
    }

    private static Coturn start(List<String> credentialOptions) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            Path dir = Files.createTempDirectory("coturn-relay-");
            List<String> command = new ArrayList<>(List.of(
                    "turnserver",
                    "-n",
                    "--listening-ip",
                    LOOPBACK.getHostAddress(),
                    "--listening-port",
                    Integer.toString(port),
                    "--relay-ip",
                    LOOPBACK.getHostAddress(),
                    "--realm",
                    REALM,
                    "--allow-loopback-peers",
                    "--no-cli",
                    "--no-tls",
                    "--no-dtls",
                    "--relay-threads",
                    "1",
                    "--userdb",
                    dir.resolve("turndb").toString(),
                    "--log-file",
                    "stdout",
                    "--verbose",
                    "--pidfile",
                    dir.resolve("turnserver.pid").toString()));
            command.addAll(credentialOptions);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("turnserver.log").toFile())
                    .start();
            Coturn relay = new Coturn(process, dir, port);
            if (relay.awaitReady()) {
                return relay;
            }
            last = new IOException("turnserver did not come up on port " + port + ": " + relay.log());
            relay.close();
        }
        throw last;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(LOOPBACK, port);
    }

    /** "127.0.0.1:PORT", as --turn takes it (UDP). */
    public String udp() {
        return LOOPBACK.getHostAddress() + ":" + port;
    }

    /** "turn:127.0.0.1:PORT?transport=tcp". */
    public String tcp() {
        return "turn:" + udp() + "?transport=tcp";
    }

    /** Everything coturn has logged so far. */
    public String log() {
        try {
            return Files.readString(dir.resolve("turnserver.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The codes of the error answers coturn logged ("... processed, error 401: ..."). */
    public List<Integer> errorCodes() {
        Matcher m = Pattern.compile("processed, error (\\d{3})").matcher(log());
        return m.results().map(r -> Integer.parseInt(r.group(1))).toList();
    }

    /**
     * The error codes coturn answered with besides 401, the challenge every first Allocate draws,
     * and 437, which a retransmitted Refresh draws when its first copy already released the
     * allocation (a busy host makes the engine retransmit): what would mean coturn refused a
     * message natcheck sent. A 400 (malformed) or 420 (unknown attribute) would be here.
     */
    public List<Integer> refusals() {
        return errorCodes().stream().filter(code -> code != 401 && code != 437).toList();
    }

    /** How often coturn logged a successful {@code method} ("ALLOCATE", "REFRESH", ...). */
    public int successes(String method) {
        Matcher m = Pattern.compile("incoming packet " + method + " processed, success")
                .matcher(log());
        return (int) m.results().count();
    }

    /** The UDP listener answers a Binding request (coturn answers Binding without credentials). */
    private boolean awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            socket.setSoTimeout(100);
            byte[] request = new byte[64];
            int n = new MessageEncoder()
                    .begin(request, 0, MessageClass.REQUEST, Method.BINDING, TransactionId.random())
                    .finish(true);
            while (process.isAlive() && System.nanoTime() < deadline) {
                socket.send(new DatagramPacket(request, n, address()));
                try {
                    socket.receive(new DatagramPacket(new byte[1500], 1500));
                    return true;
                } catch (SocketTimeoutException e) {
                    // not listening yet
                }
            }
        }
        return false;
    }

    /** A port free for both UDP and TCP at the time of asking. */
    private static int freePort() throws IOException {
        for (int i = 0; i < 20; i++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                    ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 1, LOOPBACK)) {
                return tcp.getLocalPort();
            } catch (IOException e) {
                // TCP port taken: draw again
            }
        }
        throw new IOException("no port free for both UDP and TCP on " + LOOPBACK);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
