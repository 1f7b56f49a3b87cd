package dev.natcheck.stun;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * coturn's {@code turnserver} as a TURN relay on 127.0.0.1, on a UDP port that was free at start,
 * for the codec's wire tests. Everything it reads is on the command line ({@code -n}: no
 * /etc/turnserver.conf); the options, and why:
 *
 * <ul>
 *   <li>{@code --listening-ip 127.0.0.1 --relay-ip 127.0.0.1}: client and relayed addresses stay
 *       on loopback;
 *   <li>{@code --allow-loopback-peers}: coturn refuses peers on 127.0.0.0/8 by default (403), and
 *       the tests' only peer is the relay itself;
 *   <li>{@code --lt-cred-mech --user NAME:PASSWORD} or {@code --use-auth-secret
 *       --static-auth-secret S} (TURN REST API credentials), with {@code --realm};
 *   <li>{@code --no-cli}: no telnet admin interface on 127.0.0.1:5766 (it would collide between
 *       parallel runs, and it has a default password); {@code --no-tls --no-dtls --no-tcp}: UDP only;
 *   <li>{@code --userdb} in a temporary directory: not the system's /var/lib/turn/turndb;
 *   <li>{@code --log-file stdout --verbose}, redirected to a file the test reads back: every request
 *       and the error code of every answer;
 *   <li>{@code --pidfile} in the temporary directory; the process is stopped by its own handle,
 *       and the directory removed.
 * </ul>
 *
 * A test may add options, e.g. {@code --stale-nonce=1} so that a nonce goes stale within the test.
 */
final class CoturnRelay implements AutoCloseable {

    static final InetAddress LOOPBACK = loopback();
    static final String REALM = "natcheck.test";

    private final Process process;
    private final Path dir;
    private final int port;

    private CoturnRelay(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** True when turnserver is installed (Debian package coturn). */
    static boolean installed() {
        return new File("/usr/bin/turnserver").canExecute();
    }

    /** A relay with one long-term user. */
    static CoturnRelay withUser(String user, String password, String... extra)
            throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(List.of("--lt-cred-mech", "--user", user + ":" + password));
        options.addAll(List.of(extra));
        return start(options);
    }

    /** A relay taking TURN REST API credentials made with {@code secret}. */
    static CoturnRelay withSharedSecret(String secret) throws IOException, InterruptedException {
        return start(List.of("--use-auth-secret", "--static-auth-secret", secret));
    }

    private static CoturnRelay start(List<String> credentialOptions) throws IOException, InterruptedException {
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
                    "--no-tcp",
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
            CoturnRelay relay = new CoturnRelay(process, dir, port);
            if (relay.awaitReady()) {
                return relay;
            }
            last = new IOException("turnserver did not come up on port " + port + ": " + relay.log());
            relay.close();
        }
        throw last;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(LOOPBACK, port);
    }

    /** Everything coturn has logged so far. */
    String log() {
        try {
            return Files.readString(dir.resolve("turnserver.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
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

    private static int freePort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return probe.getLocalPort();
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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
