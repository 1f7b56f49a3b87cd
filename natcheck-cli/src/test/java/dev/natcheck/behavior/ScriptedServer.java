package dev.natcheck.behavior;

import dev.natcheck.address.AddressText;
import dev.natcheck.stun.AttributeType;
import dev.natcheck.stun.ChangeRequest;
import dev.natcheck.stun.ErrorCode;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.StunParseException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * An RFC 5780 server on loopback (127.0.0.1 and 127.0.0.2, two ports each) that also plays the
 * part of a NAT in front of the client, by {@link Script}: it reports mapped addresses on a
 * made-up outside address 127.0.0.3 the way a NAT of the scripted mapping behaviour would
 * allocate them, and it drops the answers such a NAT's filter would drop. It can also lose
 * datagrams, ignore or refuse CHANGE-REQUEST, leave out OTHER-ADDRESS, and rewrite
 * MAPPED-ADDRESS like a generic ALG. Everything stays on loopback: the hairpin test's request to
 * 127.0.0.3 meets a closed port there.
 */
final class ScriptedServer implements AutoCloseable {

    static final InetAddress PRIMARY = AddressText.parseAddress("127.0.0.1").orElseThrow();
    static final InetAddress ALTERNATE = AddressText.parseAddress("127.0.0.2").orElseThrow();
    static final InetAddress OUTSIDE = AddressText.parseAddress("127.0.0.3").orElseThrow();
    static final InetAddress ALG_REWRITE = AddressText.parseAddress("127.0.0.4").orElseThrow();

    /** How the server, and the pretend NAT, behave. */
    record Script(
            EndpointDependence mapping,
            EndpointDependence filtering,
            boolean otherAddress,
            boolean honourChange,
            boolean refuseChange,
            boolean alg,
            double loss,
            long seed) {

        static Script nat(EndpointDependence mapping, EndpointDependence filtering) {
            return new Script(mapping, filtering, true, true, false, false, 0, 1);
        }

        Script withoutOtherAddress() {
            return new Script(mapping, filtering, false, honourChange, refuseChange, alg, loss, seed);
        }

        Script ignoringChangeRequest() {
            return new Script(mapping, filtering, otherAddress, false, refuseChange, alg, loss, seed);
        }

        Script refusingChangeRequest() {
            return new Script(mapping, filtering, otherAddress, honourChange, true, alg, loss, seed);
        }

        Script withAlg() {
            return new Script(mapping, filtering, otherAddress, honourChange, refuseChange, true, loss, seed);
        }

        Script withLoss(double probability, long newSeed) {
            return new Script(mapping, filtering, otherAddress, honourChange, refuseChange, alg, probability, newSeed);
        }
    }

    private final Script script;
    private final Random random;
    private final List<DatagramSocket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<List<Object>, Integer> outsidePorts = new HashMap<>();
    private final Set<List<Object>> contacted = new HashSet<>();
    private int nextOutsidePort = 20000;
    private final int port;
    private final int altPort;

    private ScriptedServer(Script script) throws IOException {
        this.script = script;
        this.random = new Random(script.seed());
        int[] ports = bindQuartet();
        this.port = ports[0];
        this.altPort = ports[1];
        for (DatagramSocket socket : sockets) {
            Thread thread = Thread.ofPlatform()
                    .daemon()
                    .name("scripted-" + socket.getLocalSocketAddress())
                    .start(() -> serve(socket));
            threads.add(thread);
        }
    }

    static ScriptedServer start(Script script) throws IOException {
        return new ScriptedServer(script);
    }

    InetSocketAddress primary() {
        return new InetSocketAddress(PRIMARY, port);
    }

    InetSocketAddress alternate() {
        return new InetSocketAddress(ALTERNATE, altPort);
    }

    /** Binds (A1,P) (A1,P2) (A2,P) (A2,P2), retrying when another process holds one. */
    private int[] bindQuartet() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            List<DatagramSocket> bound = new ArrayList<>();
            try {
                DatagramSocket first = new DatagramSocket(new InetSocketAddress(PRIMARY, 0));
                bound.add(first);
                DatagramSocket second = new DatagramSocket(new InetSocketAddress(PRIMARY, 0));
                bound.add(second);
                int p = first.getLocalPort();
                int p2 = second.getLocalPort();
                bound.add(new DatagramSocket(new InetSocketAddress(ALTERNATE, p)));
                bound.add(new DatagramSocket(new InetSocketAddress(ALTERNATE, p2)));
                sockets.addAll(bound);
                return new int[] {p, p2};
            } catch (SocketException e) {
                bound.forEach(DatagramSocket::close);
            }
        }
        throw new IOException("no free port quartet on 127.0.0.1/127.0.0.2");
    }

    private DatagramSocket socket(InetAddress address, int p) {
        for (DatagramSocket socket : sockets) {
            if (socket.getLocalAddress().equals(address) && socket.getLocalPort() == p) {
                return socket;
            }
        }
        throw new IllegalStateException("no socket " + address + ":" + p);
    }

    private void serve(DatagramSocket socket) {
        byte[] in = new byte[1500];
        MessageView view = new MessageView();
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(in, in.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return;
            }
            try {
                view.decode(in, 0, packet.getLength());
            } catch (StunParseException e) {
                continue;
            }
            if (!view.isBindingRequest()) {
                continue;
            }
            synchronized (this) {
                answer(socket, (InetSocketAddress) packet.getSocketAddress(), view);
            }
        }
    }

    private void answer(DatagramSocket receivedOn, InetSocketAddress client, MessageView request) {
        if (lost()) {
            return;
        }
        InetSocketAddress server = (InetSocketAddress) receivedOn.getLocalSocketAddress();
        contacted.add(List.of(client, server));
        int flags = request.changeRequestFlags();
        byte[] out = new byte[512];
        MessageEncoder encoder = new MessageEncoder();
        if (flags != 0 && script.refuseChange()) {
            int n = encoder.beginResponse(out, 0, MessageClass.ERROR_RESPONSE, request)
                    .addErrorCode(ErrorCode.UNKNOWN_ATTRIBUTE, "Unknown Attribute")
                    .addUnknownAttributes(new int[] {AttributeType.CHANGE_REQUEST}, 1)
                    .finish(true);
            send(receivedOn, client, out, n);
            return;
        }
        DatagramSocket from = receivedOn;
        if (script.honourChange()) {
            InetAddress ip = (flags & ChangeRequest.CHANGE_IP) != 0 ? other(server.getAddress()) : server.getAddress();
            int p = (flags & ChangeRequest.CHANGE_PORT) != 0 ? otherPort(server.getPort()) : server.getPort();
            from = socket(ip, p);
        }
        InetSocketAddress source = (InetSocketAddress) from.getLocalSocketAddress();
        if (!filterPasses(client, source)) {
            return; // the pretend NAT drops it
        }
        InetSocketAddress mapped = new InetSocketAddress(OUTSIDE, outsidePort(client, server));
        encoder.beginResponse(out, 0, MessageClass.SUCCESS_RESPONSE, request)
                .addXorMappedAddress(mapped.getAddress(), mapped.getPort())
                .addMappedAddress(script.alg() ? ALG_REWRITE : mapped.getAddress(), mapped.getPort())
                .addResponseOrigin(source.getAddress(), source.getPort());
        if (script.otherAddress()) {
            encoder.addOtherAddress(other(server.getAddress()), otherPort(server.getPort()));
        }
        send(from, client, out, encoder.finish(true));
    }

    private boolean filterPasses(InetSocketAddress client, InetSocketAddress source) {
        return switch (script.filtering()) {
            case ENDPOINT_INDEPENDENT -> true;
            case ADDRESS_DEPENDENT ->
                contacted.contains(List.of(client, new InetSocketAddress(source.getAddress(), port)))
                        || contacted.contains(List.of(client, new InetSocketAddress(source.getAddress(), altPort)));
            case ADDRESS_AND_PORT_DEPENDENT -> contacted.contains(List.of(client, source));
        };
    }

    private int outsidePort(InetSocketAddress client, InetSocketAddress server) {
        List<Object> key = switch (script.mapping()) {
            case ENDPOINT_INDEPENDENT -> List.of(client);
            case ADDRESS_DEPENDENT -> List.of(client, server.getAddress());
            case ADDRESS_AND_PORT_DEPENDENT -> List.of(client, server);
        };
        return outsidePorts.computeIfAbsent(key, k -> nextOutsidePort++);
    }

    private void send(DatagramSocket from, InetSocketAddress to, byte[] out, int n) {
        if (lost()) {
            return;
        }
        try {
            from.send(new DatagramPacket(out, n, to));
        } catch (IOException e) {
            // the client went away: nothing to do
        }
    }

    private boolean lost() {
        return script.loss() > 0 && random.nextDouble() < script.loss();
    }

    private InetAddress other(InetAddress address) {
        return address.equals(PRIMARY) ? ALTERNATE : PRIMARY;
    }

    private int otherPort(int p) {
        return p == port ? altPort : port;
    }

    @Override
    public void close() throws InterruptedException {
        sockets.forEach(DatagramSocket::close);
        for (Thread thread : threads) {
            thread.join(2000);
        }
    }
}
