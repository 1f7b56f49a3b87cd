package dev.natcheck.probe;

import dev.natcheck.address.AddressText;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.Optional;

/**
 * Asks a gateway for its own external IPv4 address with NAT-PMP (RFC 6886 section 3.2): a
 * 2-byte request (version 0, opcode 0) to UDP port 5351, retransmitted after 250 ms doubling
 * as the RFC says, inside the caller's deadline. The answer feeds the "gateway's external
 * address" rows of the classification table: private or shared means another NAT beyond it.
 */
public final class NatPmpClient {

    /** NAT-PMP server port (RFC 6886 section 3.1). */
    public static final int PORT = 5351;

    private static final int INITIAL_WAIT_MILLIS = 250;
    private static final int RESPONSE_LENGTH = 12;
    private static final int OPCODE_EXTERNAL_ADDRESS_RESPONSE = 128;

    /** What the gateway said, or why nothing usable came back. */
    public record Answer(Optional<InetAddress> external, String note) {}

    /** Asks {@code gateway} from {@code local} (the probe's interface address). */
    public Answer externalAddress(InetAddress local, InetSocketAddress gateway, Deadline deadline) {
        String label = "NAT-PMP gateway " + AddressText.format(gateway);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0))) {
            socket.connect(gateway);
            byte[] request = {0, 0};
            byte[] buffer = new byte[64];
            int wait = INITIAL_WAIT_MILLIS;
            while (!deadline.expired()) {
                socket.send(new DatagramPacket(request, request.length));
                long until = System.nanoTime() + Math.min(deadline.remainingNanos(), wait * 1_000_000L);
                while (System.nanoTime() < until) {
                    socket.setSoTimeout((int) Math.max(1, (until - System.nanoTime()) / 1_000_000));
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(packet);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    Optional<Answer> answer = parse(buffer, packet.getLength(), label);
                    if (answer.isPresent()) {
                        return answer.get();
                    }
                }
                wait *= 2;
            }
            return new Answer(Optional.empty(), label + ": no answer in time");
        } catch (PortUnreachableException e) {
            return new Answer(Optional.empty(), label + ": no NAT-PMP service (ICMP port unreachable)");
        } catch (IOException e) {
            return new Answer(Optional.empty(), label + ": " + e.getMessage());
        }
    }

    /** A valid external-address response, or empty for anything else (which is then ignored). */
    static Optional<Answer> parse(byte[] bytes, int length, String label) {
        if (length < RESPONSE_LENGTH || bytes[0] != 0 || (bytes[1] & 0xFF) != OPCODE_EXTERNAL_ADDRESS_RESPONSE) {
            return Optional.empty();
        }
        int result = ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
        if (result != 0) {
            return Optional.of(
                    new Answer(Optional.empty(), label + ": answered result code " + result + resultMeaning(result)));
        }
        byte[] address = {bytes[8], bytes[9], bytes[10], bytes[11]};
        try {
            InetAddress external = InetAddress.getByAddress(address);
            return Optional.of(new Answer(
                    Optional.of(external), label + " reports its external address " + AddressText.format(external)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** RFC 6886 section 3.5's name for a result code, and what code 3 tells about the gateway. */
    private static String resultMeaning(int result) {
        return switch (result) {
            case 1 -> " (Unsupported Version)";
            case 2 -> " (Not Authorized/Refused)";
            // miniupnpd (2.x) answers 3 not only without a WAN lease but whenever its WAN address
            // is private, shared (100.64.0.0/10) or reserved: it will not hand out an address
            // that is not reachable from the Internet. Seen from the LAN, that is a sign of
            // another NAT beyond the gateway, but not of which kind (lab/netlab.sh shows it).
            case 3 ->
                " (Network Failure): the gateway has no public external address of its own;"
                        + " another NAT may sit beyond it";
            case 4 -> " (Out of Resources)";
            case 5 -> " (Unsupported Opcode)";
            default -> "";
        };
    }
}
