package dev.natcheck.lab;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;

/**
 * A flood of bare 20-byte STUN Binding requests from one local UDP port, run inside a lab
 * namespace where an iptables SNAT rule rewrites that port's packets to a forged source address:
 * what a reflection attacker sends, as the server sees it. Prints {@code sent=N received=M}; the
 * rule's conntrack entry brings any answer to the forged address back here, so M counts the
 * answers the forged source drew.
 */
public final class BareFlood {

    private static final int MAGIC_COOKIE = 0x2112A442;

    private BareFlood() {}

    /** Arguments: LOCAL_PORT HOST PORT COUNT. */
    public static void main(String[] args) throws IOException {
        int localPort = Integer.parseInt(args[0]);
        InetSocketAddress target = new InetSocketAddress(InetAddress.ofLiteral(args[1]), Integer.parseInt(args[2]));
        int count = Integer.parseInt(args[3]);
        SecureRandom random = new SecureRandom();
        int received = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(localPort))) {
            byte[] transaction = new byte[12];
            for (int i = 0; i < count; i++) {
                random.nextBytes(transaction);
                byte[] request = ByteBuffer.allocate(20)
                        .putShort((short) 0x0001)
                        .putShort((short) 0)
                        .putInt(MAGIC_COOKIE)
                        .put(transaction)
                        .array();
                socket.send(new DatagramPacket(request, request.length, target));
            }
            socket.setSoTimeout(500);
            byte[] buffer = new byte[1500];
            try {
                while (true) {
                    socket.receive(new DatagramPacket(buffer, buffer.length));
                    received++;
                }
            } catch (SocketTimeoutException e) {
                // Quiet for half a second: done.
            }
        }
        System.out.println("sent=" + count + " received=" + received);
    }

    /** The command that runs the flood with this module's classes. */
    public static List<String> command(int localPort, String host, int port, int count) {
        return List.of(
                Lab.java().toString(),
                "-cp",
                Lab.classes().toString(),
                BareFlood.class.getName(),
                Integer.toString(localPort),
                host,
                Integer.toString(port),
                Integer.toString(count));
    }
}
