package dev.natcheck.cli;

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
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A STUN "server" on a loopback UDP socket that answers every Binding request, the probe's and
 * the behaviour tests' alike, the way its {@link Script} says: with an error whose reason phrase
 * carries terminal escapes, with a success that holds no address, and so on. For the checks that
 * such answers are neither taken for a block nor printed raw.
 */
final class HostileStunServer implements AutoCloseable {

    /** Builds the answer to one request into {@code out}; returns its length, or 0 to stay silent. */
    @FunctionalInterface
    interface Script {
        int answer(MessageView request, InetSocketAddress client, byte[] out);
    }

    /** An error answer with this code and reason phrase, sent as is. */
    static Script error(int code, String reason) {
        return (request, client, out) -> new MessageEncoder()
                .beginResponse(out, 0, MessageClass.ERROR_RESPONSE, request)
                .addErrorCode(code, reason)
                .finish(true);
    }

    /** A success answer with a SOFTWARE attribute and no mapped address at all. */
    static Script successWithoutAddress(String software) {
        return (request, client, out) -> new MessageEncoder()
                .beginResponse(out, 0, MessageClass.SUCCESS_RESPONSE, request)
                .addSoftware(software)
                .finish(true);
    }

    private final DatagramSocket socket;
    private final Script script;
    private final Thread thread;
    final AtomicInteger requests = new AtomicInteger();

    private HostileStunServer(InetAddress bind, Script script) throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(bind, 0));
        this.script = script;
        this.thread = Thread.ofPlatform().daemon().name("hostile-stun").start(this::serve);
    }

    static HostileStunServer start(InetAddress bind, Script script) throws SocketException {
        return new HostileStunServer(bind, script);
    }

    /** "127.0.0.1:PORT", the form {@code -s} takes. */
    String spec() {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    private void serve() {
        byte[] in = new byte[2048];
        byte[] out = new byte[2048];
        MessageView view = new MessageView();
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(in, in.length);
            try {
                socket.receive(packet);
                view.decode(Arrays.copyOf(in, packet.getLength()));
                if (!view.isBindingRequest()) {
                    continue;
                }
                requests.incrementAndGet();
                InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
                int n = script.answer(view, client, out);
                if (n > 0) {
                    socket.send(new DatagramPacket(out, n, client));
                }
            } catch (StunParseException e) {
                // not STUN: ignored, as a real server would
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }
}
