package dev.natcheck.startup;

import dev.natcheck.address.AddressText;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageHeader;
import dev.natcheck.stun.Padding;
import dev.natcheck.stun.StunMessage;
import dev.natcheck.stun.StunParseException;
import dev.natcheck.stun.XorMappedAddress;
import dev.natcheck.stunserver.SocketIo;
import dev.natcheck.stunserver.StunServer;
import dev.natcheck.stunserver.StunServerConfig;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The floor under a basic loopback check's start-up (benchmarks/startup.sh): one JVM starts
 * natcheck's stun-server on 127.0.0.1 on an ephemeral port, sends it one Binding request made
 * with the codec from a client socket, decodes the answer and prints the mapped address. No
 * picocli, no logback, no interface survey or classification: what a loopback STUN check
 * cannot go below in Java.
 */
public final class LoopbackStunFloor {

    /** Long enough for a loaded machine, short enough that a lost answer cannot hang a benchmark. */
    private static final int RECEIVE_TIMEOUT_MILLIS = 2_000;

    /**
     * natcheck's request size: the server refuses to answer with more bytes than it got, and a
     * bare 20-byte Binding request is smaller than its answer.
     */
    private static final int REQUEST_SIZE = 256;

    private static final int ATTRIBUTE_HEADER_SIZE = 4;

    private LoopbackStunFloor() {}

    public static void main(String[] args) throws IOException {
        Optional<XorMappedAddress> mapped;
        // The portable socket path, as natcheck --local uses: nothing to link at start.
        try (StunServer server = StunServer.start(StunServerConfig.loopbackEphemeral(), SocketIo.NIO);
                DatagramSocket client =
                        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            mapped = bind(client, server.boundAddresses().getFirst());
        }
        if (mapped.isEmpty()) {
            System.err.println("loopback-stun-floor: the answer carries no XOR-MAPPED-ADDRESS");
            System.exit(1);
        }
        System.out.println(
                AddressText.format(mapped.get().address()) + ":" + mapped.get().port());
    }

    /** One Binding transaction: the success response's XOR-MAPPED-ADDRESS, if it has one. */
    private static Optional<XorMappedAddress> bind(DatagramSocket client, InetSocketAddress server) throws IOException {
        StunMessage request =
                StunMessage.bindingRequest(new Padding(REQUEST_SIZE - MessageHeader.SIZE - ATTRIBUTE_HEADER_SIZE));
        byte[] encoded = request.encode();
        client.setSoTimeout(RECEIVE_TIMEOUT_MILLIS);
        client.send(new DatagramPacket(encoded, encoded.length, server));
        byte[] buffer = new byte[1500];
        DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
        client.receive(answer);
        StunMessage response;
        try {
            response = StunMessage.decode(buffer, 0, answer.getLength());
        } catch (StunParseException e) {
            throw new IOException("malformed answer from " + server + ": " + e.getMessage(), e);
        }
        if (response.messageClass() != MessageClass.SUCCESS_RESPONSE
                || !response.transactionId().equals(request.transactionId())) {
            throw new IOException("not the answer to the request: " + response.messageClass());
        }
        return response.attribute(XorMappedAddress.class);
    }
}
