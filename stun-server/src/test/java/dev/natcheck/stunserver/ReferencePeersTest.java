package dev.natcheck.stunserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.TransactionId;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with independent implementations, over real loopback sockets: coturn's
 * clients against this server, this codec against coturn's server, and the classic Vovida
 * (RFC 3489) client against this server. Skipped, with the package to install, where the
 * tools are missing; .ci/run installs them.
 */
class ReferencePeersTest {

    static final InetAddress LOOPBACK = StunServerTest.LOOPBACK;
    static final InetAddress LOOPBACK_2 = StunServerTest.LOOPBACK_2;
    static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
    static final Pattern REFLEXIVE = Pattern.compile("UDP reflexive addr: ([0-9.]+):(\\d+)");
    static final Pattern LOCAL = Pattern.compile("Local addr: : ([0-9.]+):(\\d+)");

    private StunServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Our server as an RFC 5780 server on 127.0.0.1 / 127.0.0.2, answering plain clients. */
    private InetSocketAddress startRfc5780(boolean allowAmplification) throws IOException {
        server = StunServer.start(StunServerTest.rfc5780Config().withAllowAmplification(allowAmplification));
        return server.boundAddresses().getFirst();
    }

    private static List<String> all(Pattern pattern, String text, int group) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(group));
        }
        return found;
    }

    @Test
    void coturnStunclientGetsTheRightMappedAddressAndRfc5780Answers() throws Exception {
        ExternalProcess.requireTool("turnutils_stunclient", "coturn");
        InetSocketAddress to = startRfc5780(true);
        List<InetSocketAddress> sockets = server.boundAddresses();

        ExternalProcess.Result r = ExternalProcess.run(
                TOOL_TIMEOUT, "turnutils_stunclient", "-f", "-p", String.valueOf(to.getPort()), "127.0.0.1");

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(all(REFLEXIVE, r.output(), 1)).as(r.output()).hasSize(3).containsOnly("127.0.0.1");
        // Its three RFC 5780 probes: plain, change IP+port, change port (from the alternate socket).
        assertThat(r.output())
                .contains("Response origin: : 127.0.0.1:" + to.getPort())
                .contains("Other addr: : 127.0.0.2:" + sockets.get(3).getPort())
                .contains("Response origin: : 127.0.0.2:" + sockets.get(3).getPort());
    }

    @Test
    void coturnNatdiscoveryReportsNoNatOnLoopback() throws Exception {
        ExternalProcess.requireTool("turnutils_natdiscovery", "coturn");
        InetSocketAddress to = startRfc5780(true);

        ExternalProcess.Result r = ExternalProcess.run(
                TOOL_TIMEOUT,
                "turnutils_natdiscovery",
                "-m",
                "-f",
                "-L",
                "127.0.0.1",
                "-p",
                String.valueOf(to.getPort()),
                "127.0.0.1");

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output())
                .contains("No NAT! (Endpoint Independent Mapping)")
                .contains("NAT with Endpoint Independent Filtering!")
                .contains("No ALG: Mapped == XOR-Mapped")
                .doesNotContain("Dependent");
        // Every reflexive address it was told is exactly its own local address.
        assertThat(all(REFLEXIVE, r.output(), 0).stream()
                        .map(s -> s.replace("UDP reflexive addr: ", ""))
                        .toList())
                .isEqualTo(all(LOCAL, r.output(), 0).stream()
                        .map(s -> s.replace("Local addr: : ", ""))
                        .toList())
                .isNotEmpty();
    }

    @Test
    void coturnNatdiscoveryWithPaddingNeedsNoAmplification() throws Exception {
        ExternalProcess.requireTool("turnutils_natdiscovery", "coturn");
        InetSocketAddress to = startRfc5780(false);

        // -P pads its requests (to 1500 bytes), so the default no-amplification rule answers them.
        ExternalProcess.Result r = ExternalProcess.run(
                TOOL_TIMEOUT,
                "turnutils_natdiscovery",
                "-m",
                "-f",
                "-P",
                "-L",
                "127.0.0.1",
                "-p",
                String.valueOf(to.getPort()),
                "127.0.0.1");

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output())
                .contains("No NAT! (Endpoint Independent Mapping)")
                .contains("NAT with Endpoint Independent Filtering!");
        assertThat(server.count(Counter.DROPPED_AMPLIFICATION)).isZero();
    }

    @Test
    void vovidaStunClientFindsAnOpenInternet() throws Exception {
        ExternalProcess.requireTool("stun", "stun-client");
        InetSocketAddress to = startRfc5780(true);

        ExternalProcess.Result r = ExternalProcess.run(TOOL_TIMEOUT, "stun", "127.0.0.1:" + to.getPort(), "-v");

        // Its verdict on loopback, where there is no NAT and no firewall.
        assertThat(r.output())
                .as(r.output())
                .contains("Primary: Open")
                .contains("is nat  = 0")
                .contains("test I = 1")
                .contains("test II = 1")
                .contains("test III = 1")
                .contains("MappedAddress = 127.0.0.1:");
        // Tests I, II, III and I(2): four requests, each answered (counted just after the send).
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.count(Counter.ANSWERED) < 4 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(server.count(Counter.ANSWERED)).isGreaterThanOrEqualTo(4);
    }

    @Test
    void ourCodecDecodesCoturnAnswers(@TempDir Path dir) throws Exception {
        ExternalProcess.requireTool("turnserver", "coturn");
        try (Coturn coturn = Coturn.start(dir)) {
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, coturn.port);
            try (TestClient client = TestClient.loopback()) {
                for (int flags = 0; flags < 4; flags++) {
                    boolean changeIp = (flags & 2) != 0;
                    boolean changePort = (flags & 1) != 0;
                    TransactionId id = TransactionId.random();
                    TestClient.Reply reply = client.exchange(
                            Requests.binding(
                                    id,
                                    e -> e.addChangeRequest(changeIp, changePort)
                                            .addSoftware("natcheck"),
                                    true),
                            to);

                    MessageView answer = Requests.decode(reply.bytes());
                    InetSocketAddress expectedFrom = new InetSocketAddress(
                            changeIp ? LOOPBACK_2 : LOOPBACK, changePort ? coturn.port + 1 : coturn.port);
                    assertThat(answer.messageClass()).isEqualTo(MessageClass.SUCCESS_RESPONSE);
                    assertThat(answer.transactionIdMatches(id)).isTrue();
                    assertThat(answer.xorMappedAddress().orElseThrow().socketAddress())
                            .isEqualTo(client.local());
                    assertThat(answer.mappedAddress().orElseThrow().socketAddress())
                            .isEqualTo(client.local());
                    assertThat(reply.from()).isEqualTo(expectedFrom);
                    assertThat(answer.responseOrigin().orElseThrow().socketAddress())
                            .isEqualTo(expectedFrom);
                    assertThat(answer.otherAddress().orElseThrow().socketAddress())
                            .isEqualTo(new InetSocketAddress(LOOPBACK_2, coturn.port + 1));
                }
            }
        }
    }

    /** coturn's turnserver in STUN-only mode with RFC 5780 (two addresses, ports P and P+1). */
    static final class Coturn implements AutoCloseable {
        final Process process;
        final int port;

        private Coturn(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Coturn start(Path dir) throws Exception {
            IOException last = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                int port = freePortPair();
                // -n: do not read /etc/turnserver.conf (Debian's disables RFC 5780).
                Process p = new ProcessBuilder(
                                "turnserver",
                                "-n",
                                "--stun-only",
                                "-L",
                                "127.0.0.1",
                                "-L",
                                "127.0.0.2",
                                "-p",
                                String.valueOf(port),
                                "--alt-listening-port",
                                String.valueOf(port + 1),
                                "--no-tls",
                                "--no-dtls",
                                "--no-cli",
                                "--no-stdout-log",
                                "--log-file",
                                dir.resolve("turn.log").toString(),
                                "--simple-log",
                                "--pidfile",
                                dir.resolve("turn.pid").toString(),
                                "--userdb",
                                dir.resolve("turndb").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("turnserver.out").toFile())
                        .start();
                Coturn coturn = new Coturn(p, port);
                if (coturn.awaitAnswering()) {
                    return coturn;
                }
                coturn.close();
                last = new IOException("turnserver did not answer on 127.0.0.1:" + port + ": "
                        + Files.readString(dir.resolve("turnserver.out")));
            }
            throw last;
        }

        /** Polls with Binding requests (bounded: 50 tries) until coturn answers. */
        private boolean awaitAnswering() throws IOException {
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                probe.setSoTimeout(100);
                byte[] request = Requests.plain(TransactionId.random());
                for (int i = 0; i < 50 && process.isAlive(); i++) {
                    probe.send(new java.net.DatagramPacket(request, request.length, LOOPBACK, port));
                    try {
                        probe.receive(new java.net.DatagramPacket(new byte[1500], 1500));
                        return true;
                    } catch (SocketTimeoutException e) {
                        // not up yet
                    }
                }
                return false;
            }
        }

        private static int freePortPair() throws IOException {
            for (int i = 0; i < 20; i++) {
                int port;
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                    port = s.getLocalPort();
                }
                if (port < 65_535 && free(LOOPBACK_2, port) && free(LOOPBACK, port + 1) && free(LOOPBACK_2, port + 1)) {
                    return port;
                }
            }
            throw new IOException("no free UDP port pair found on 127.0.0.1/127.0.0.2");
        }

        private static boolean free(InetAddress address, int port) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, port))) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void close() throws InterruptedException {
            // Our own child, by its handle (its PID): never by name.
            process.destroy();
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
