package dev.natcheck.behavior;

import dev.natcheck.address.AddressText;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.TransactionId;
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
 * coturn's {@code turnserver --stun-only} on 127.0.0.1 and 127.0.0.2 with a primary and an
 * alternate port, both free at start: a real RFC 5780 server for loopback tests. Stopped by its
 * own PID on close.
 */
public final class CoturnServer implements AutoCloseable {

    public static final InetAddress PRIMARY =
            AddressText.parseAddress("127.0.0.1").orElseThrow();
    static final InetAddress ALTERNATE = AddressText.parseAddress("127.0.0.2").orElseThrow();

    private final Process process;
    private final Path dir;
    private final int port;
    private final int altPort;

    private CoturnServer(Process process, Path dir, int port, int altPort) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.altPort = altPort;
    }

    /** True when turnserver is installed (Debian package coturn). */
    public static boolean installed() {
        return new File("/usr/bin/turnserver").canExecute();
    }

    public static CoturnServer start() throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePortPair();
            Path dir = Files.createTempDirectory("coturn-");
            List<String> command = new ArrayList<>(List.of(
                    "turnserver",
                    "-n",
                    "--stun-only",
                    "--listening-ip",
                    PRIMARY.getHostAddress(),
                    "--listening-ip",
                    ALTERNATE.getHostAddress(),
                    "--listening-port",
                    Integer.toString(port),
                    "--alt-listening-port",
                    Integer.toString(port + 1),
                    "--no-cli",
                    "--no-tls",
                    "--no-dtls",
                    "--no-tcp",
                    "--log-file",
                    "stdout",
                    "--simple-log",
                    "--pidfile",
                    dir.resolve("turnserver.pid").toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("turnserver.log").toFile())
                    .start();
            CoturnServer server = new CoturnServer(process, dir, port, port + 1);
            if (server.awaitReady()) {
                return server;
            }
            last = new IOException(
                    "turnserver did not come up on ports " + port + "/" + (port + 1) + ": " + server.log());
            server.close();
        }
        throw last;
    }

    public InetSocketAddress primary() {
        return new InetSocketAddress(PRIMARY, port);
    }

    public InetSocketAddress alternate() {
        return new InetSocketAddress(ALTERNATE, altPort);
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("turnserver.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Every one of the four endpoints answers a Binding Request. */
    private boolean awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<InetSocketAddress> endpoints = List.of(
                primary(),
                alternate(),
                new InetSocketAddress(PRIMARY, altPort),
                new InetSocketAddress(ALTERNATE, port));
        for (InetSocketAddress endpoint : endpoints) {
            while (!answers(endpoint)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean answers(InetSocketAddress endpoint) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(PRIMARY, 0))) {
            socket.setSoTimeout(100);
            byte[] request = new byte[64];
            int n = new MessageEncoder()
                    .begin(request, 0, MessageClass.REQUEST, Method.BINDING, TransactionId.random())
                    .finish(true);
            socket.send(new DatagramPacket(request, n, endpoint));
            socket.receive(new DatagramPacket(new byte[1500], 1500));
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** A port P such that P and P+1 are free on both loopback addresses right now. */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(PRIMARY, 0))) {
                port = probe.getLocalPort();
            }
            if (port < 65535
                    && free(PRIMARY, port)
                    && free(PRIMARY, port + 1)
                    && free(ALTERNATE, port)
                    && free(ALTERNATE, port + 1)) {
                return port;
            }
        }
        throw new IOException("no free UDP port pair on loopback");
    }

    private static boolean free(InetAddress address, int port) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
