package dev.natcheck.asn;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/** A DNS server on 127.0.0.1 (UDP, ephemeral port) answering TXT questions from a table; NXDOMAIN otherwise. */
final class FakeDnsServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final Map<String, List<String>> zone;
    private final int failRcode;
    final List<String> questions = new CopyOnWriteArrayList<>();

    /** @param failRcode answer every question with this rcode instead (e.g. SERVFAIL), or -1 */
    FakeDnsServer(Map<String, List<String>> zone, int failRcode) throws IOException {
        this.zone = zone;
        this.failRcode = failRcode;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofPlatform().daemon().name("fake-dns").start(this::serve);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(buffer, packet.getLength()));
                Record question = query.getQuestion();
                String owner = question.getName().toString().toLowerCase();
                questions.add(owner);
                Message response = new Message(query.getHeader().getID());
                response.getHeader().setFlag(Flags.QR);
                response.getHeader().setFlag(Flags.AA);
                response.addRecord(question, Section.QUESTION);
                List<String> texts = zone.get(owner);
                if (failRcode >= 0) {
                    response.getHeader().setRcode(failRcode);
                } else if (texts == null) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                } else {
                    for (String text : texts) {
                        response.addRecord(new TXTRecord(Name.fromString(owner), DClass.IN, 60, text), Section.ANSWER);
                    }
                }
                byte[] wire = response.toWire();
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
