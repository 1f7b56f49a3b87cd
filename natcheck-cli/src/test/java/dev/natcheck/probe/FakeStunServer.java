package dev.natcheck.probe;

import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.StunParseException;
import dev.natcheck.stun.TransactionId;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A scripted STUN "server" on loopback for hostile-answer tests: real UDP sockets, answers
 * built with the codec and then bent by the script (wrong id, wrong source, truncated...).
 */
final class FakeStunServer implements AutoCloseable {

    /** Decides what to send back for one request. */
    @FunctionalInterface
    interface Script {
        void answer(Request request, Replies replies) throws IOException;
    }

    /** One request as received. */
    record Request(byte[] bytes, InetSocketAddress source, TransactionId id, int number, boolean padded) {}

    /** Ways to answer: from the server's own socket, or from a second socket (another source port). */
    final class Replies {
        private final InetSocketAddress to;

        Replies(InetSocketAddress to) {
            this.to = to;
        }

        void send(byte[] data) throws IOException {
            socket.send(new DatagramPacket(data, data.length, to));
        }

        void sendFromOtherSocket(byte[] data) throws IOException {
            other.send(new DatagramPacket(data, data.length, to));
        }
    }

    private final DatagramSocket socket;
    private final DatagramSocket other;
    private final Script script;
    private final Thread thread;
    final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakeStunServer(String bind, Script script) throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(ip(bind), 0));
        this.other = new DatagramSocket(new InetSocketAddress(ip(bind), 0));
        this.script = script;
        this.thread = Thread.ofPlatform()
                .daemon()
                .name("fake-stun-" + socket.getLocalPort())
                .start(this::serve);
    }

    static FakeStunServer start(String bind, Script script) throws SocketException {
        return new FakeStunServer(bind, script);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    ResolvedServer resolved() {
        return new ResolvedServer(ServerSpec.parse(dev.natcheck.address.AddressText.format(address())), address());
    }

    private void serve() {
        byte[] buffer = new byte[65_535];
        MessageView view = new MessageView();
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                byte[] bytes = Arrays.copyOf(buffer, packet.getLength());
                view.decode(bytes);
                Request request = new Request(
                        bytes,
                        (InetSocketAddress) packet.getSocketAddress(),
                        view.transactionId(),
                        requests.size() + 1,
                        view.hasPadding());
                requests.add(request);
                script.answer(request, new Replies(request.source()));
            } catch (StunParseException | IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    /** A Binding success response to {@code request} with whatever attributes {@code body} adds. */
    static byte[] success(Request request, Consumer<MessageEncoder> body) {
        return response(request.id(), MessageClass.SUCCESS_RESPONSE, body);
    }

    static byte[] response(TransactionId id, MessageClass messageClass, Consumer<MessageEncoder> body) {
        byte[] out = new byte[1500];
        MessageEncoder encoder = new MessageEncoder().begin(out, 0, messageClass, Method.BINDING, id);
        body.accept(encoder);
        return Arrays.copyOf(out, encoder.finish(true));
    }

    /** The answer an honest server gives: XOR-MAPPED-ADDRESS = the request's source. */
    static byte[] honest(Request request) {
        return success(
                request,
                e -> e.addXorMappedAddress(
                        request.source().getAddress(), request.source().getPort()));
    }

    static InetAddress ip(String literal) {
        return dev.natcheck.address.AddressText.parseAddress(literal).orElseThrow();
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        other.close();
        thread.join(2000);
    }
}
