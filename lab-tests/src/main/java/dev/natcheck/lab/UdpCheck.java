package dev.natcheck.lab;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A bare UDP reachability check run inside a client namespace: sends single STUN Binding
 * Requests (no retransmission, so each one counts) and prints, per request, {@code answered},
 * {@code timeout} or {@code refused} (ICMP port unreachable), then a summary line
 * {@code answered=N timeout=N refused=N}. Independent of the project's own STUN code on purpose.
 */
public final class UdpCheck {

    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final short BINDING_REQUEST = 0x0001;

    private UdpCheck() {}

    /** Arguments: HOST PORT COUNT TIMEOUT_MILLIS. */
    public static void main(String[] args) throws IOException {
        InetAddress host = InetAddress.getByName(args[0]);
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        int timeoutMillis = Integer.parseInt(args[3]);
        SecureRandom random = new SecureRandom();
        int answered = 0;
        int timeouts = 0;
        int refused = 0;
        for (int i = 0; i < count; i++) {
            // A fresh socket per request: a refusal on one cannot leak into the next.
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.connect(new InetSocketAddress(host, port));
                socket.setSoTimeout(timeoutMillis);
                byte[] transaction = new byte[12];
                random.nextBytes(transaction);
                ByteBuffer request = ByteBuffer.allocate(20)
                        .putShort(BINDING_REQUEST)
                        .putShort((short) 0)
                        .putInt(MAGIC_COOKIE)
                        .put(transaction);
                socket.send(new DatagramPacket(request.array(), 20));
                String outcome = awaitAnswer(socket, transaction);
                System.out.println(outcome);
                switch (outcome) {
                    case "answered" -> answered++;
                    case "refused" -> refused++;
                    default -> timeouts++;
                }
            } catch (PortUnreachableException e) {
                System.out.println("refused");
                refused++;
            }
        }
        System.out.println("answered=" + answered + " timeout=" + timeouts + " refused=" + refused);
    }

    private static String awaitAnswer(DatagramSocket socket, byte[] transaction) throws IOException {
        byte[] buffer = new byte[1500];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return "timeout";
            } catch (PortUnreachableException e) {
                return "refused";
            }
            if (packet.getLength() >= 20
                    && Arrays.equals(buffer, 8, 20, transaction, 0, 12)
                    && ByteBuffer.wrap(buffer, 4, 4).getInt() == MAGIC_COOKIE) {
                return "answered";
            }
        }
    }

    /** The command that runs this check with the Java the tests run with. */
    public static List<String> command(String host, int port, int count, Duration timeout) {
        return List.of(
                Lab.java().toString(),
                "-cp",
                Lab.classes().toString(),
                UdpCheck.class.getName(),
                host,
                Integer.toString(port),
                Integer.toString(count),
                Long.toString(timeout.toMillis()));
    }

    /** The counts from the summary line of a finished check. */
    public record Summary(int answered, int timeout, int refused) {

        public static Summary parse(ExecResult result) {
            List<String> lines = result.stdoutLines();
            String last = lines.isEmpty() ? "" : lines.getLast();
            if (!last.startsWith("answered=")) {
                throw new IllegalStateException("UdpCheck gave no summary: " + result.describe());
            }
            int[] n = Arrays.stream(last.split(" "))
                    .mapToInt(kv -> Integer.parseInt(kv.substring(kv.indexOf('=') + 1)))
                    .toArray();
            return new Summary(n[0], n[1], n[2]);
        }
    }
}
