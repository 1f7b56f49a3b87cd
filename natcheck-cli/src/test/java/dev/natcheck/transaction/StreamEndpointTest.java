package dev.natcheck.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.stun.ChannelData;
import dev.natcheck.stun.Framing;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.TransactionId;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TCP endpoints of the loop over real loopback connections: STUN messages back to back on a
 * stream (RFC 8489 section 6.2.2) are cut into messages whatever the segments look like,
 * ChannelData frames go to the endpoint's handler, and a refused, closed or garbled connection
 * ends the transactions on it as refused, at once.
 */
class StreamEndpointTest {

    private static final Duration TIME = Duration.ofSeconds(5);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Schedule ONCE = new Schedule(TIME, TIME, 1, TIME);

    private final List<Ignored> ignored = new CopyOnWriteArrayList<>();
    private final List<Transaction> settled = new ArrayList<>();
    private ServerSocket listener;
    private volatile InetSocketAddress clientAddress;
    private Thread serverThread;

    @AfterEach
    void stop() throws Exception {
        if (listener != null) {
            listener.close();
        }
        if (serverThread != null) {
            serverThread.join(5_000);
        }
    }

    @Test
    void answersSplitAcrossSegmentsOrSharingOneAreAllFound() throws Exception {
        // The server reads three requests, then answers all three in one write, the last split in two.
        serve((in, out) -> {
            List<byte[]> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(success(readMessage(in)));
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            answers.forEach(all::writeBytes);
            byte[] bytes = all.toByteArray();
            int cut = bytes.length - 7;
            write(out, Arrays.copyOf(bytes, cut));
            pause();
            write(out, Arrays.copyOfRange(bytes, cut, bytes.length));
        });
        try (TransactionLoop loop = new TransactionLoop(ignored::add)) {
            Endpoint endpoint = loop.connect("relay", LOOPBACK, address());
            List<Transaction> transactions = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                transactions.add(Transaction.of("binding " + i, endpoint, address(), Request.binding(), ONCE));
                loop.submit(transactions.getLast());
            }

            loop.run(deadline(), settled::add);

            assertThat(endpoint.transport()).isEqualTo(Endpoint.Transport.TCP);
            assertThat(endpoint.framing()).isEqualTo(Framing.STREAM);
            assertThat(settled).containsExactlyInAnyOrderElementsOf(transactions);
            assertThat(transactions)
                    .allSatisfy(t ->
                            assertThat(t.answer().flatMap(Response::mapped)).contains(endpoint.local()));
            assertThat(ignored).isEmpty();
        }
    }

    @Test
    void channelDataFramesGoToTheHandlerPaddingIncluded() throws Exception {
        byte[] data = "five!".getBytes();
        serve((in, out) -> {
            byte[] request = readMessage(in);
            byte[] frame = new ChannelData(0x4001, data).encode(Framing.STREAM);
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(frame);
            both.writeBytes(success(request));
            write(out, both.toByteArray());
        });
        List<Datagram> unsolicited = new ArrayList<>();
        try (TransactionLoop loop = new TransactionLoop(ignored::add)) {
            Endpoint endpoint = loop.connect("relay", LOOPBACK, address());
            endpoint.onUnsolicited(unsolicited::add);
            Transaction binding = Transaction.of("binding", endpoint, address(), Request.binding(), ONCE);
            loop.submit(binding);

            loop.run(deadline(), settled::add);

            assertThat(binding.answer()).isPresent();
            assertThat(unsolicited).singleElement().satisfies(d -> {
                assertThat(d.bytes()).hasSize(12); // 4 header, 5 data, 3 padding
                assertThat(ChannelData.decode(d.bytes(), 0, d.bytes().length, Framing.STREAM))
                        .isEqualTo(new ChannelData(0x4001, data));
                assertThat(d.source()).isEqualTo(address());
            });
        }
    }

    @Test
    void aRefusedConnectionEndsItsTransactionsAsRefused() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            closed = new InetSocketAddress(LOOPBACK, probe.getLocalPort());
        }
        try (TransactionLoop loop = new TransactionLoop(ignored::add)) {
            Endpoint endpoint = loop.connect("relay", LOOPBACK, closed);
            Transaction binding = Transaction.of("binding", endpoint, closed, Request.binding(), ONCE);
            loop.submit(binding);

            loop.run(deadline(), settled::add);

            assertThat(binding.outcome())
                    .isInstanceOfSatisfying(
                            Outcome.Refused.class,
                            r -> assertThat(r.detail())
                                    .startsWith("TCP connection to " + format(closed) + " failed: "));
            assertThat(endpoint.isOpen()).isFalse();
        }
    }

    @Test
    void aServerThatClosesEndsTheTransactionsAtOnce() throws Exception {
        serve((in, out) -> readMessage(in));
        try (TransactionLoop loop = new TransactionLoop(ignored::add)) {
            Endpoint endpoint = loop.connect("relay", LOOPBACK, address());
            Transaction binding = Transaction.of("binding", endpoint, address(), Request.binding(), ONCE);
            loop.submit(binding);

            loop.run(deadline(), settled::add);

            assertThat(binding.outcome())
                    .isInstanceOfSatisfying(
                            Outcome.Refused.class,
                            r -> assertThat(r.detail()).isEqualTo("TCP connection closed by " + format(address())));
        }
    }

    @Test
    void bytesThatAreNeitherStunNorChannelDataEndTheConnectionAndAreEvidence() throws Exception {
        serve((in, out) -> {
            readMessage(in);
            write(out, new byte[] {(byte) 0xFF, 'n', 'o', 'p', 'e', 0, 0, 0});
            pause();
        });
        Transaction binding = runOneBinding();

        assertThat(binding.outcome())
                .isInstanceOfSatisfying(
                        Outcome.Refused.class,
                        r -> assertThat(r.detail())
                                .isEqualTo(
                                        "TCP connection to " + format(address())
                                                + " carries neither STUN nor ChannelData (frame"
                                                + " at offset 0: first two bits 0b11, neither STUN (0b00) nor ChannelData (0b01))"));
        assertThat(ignored).singleElement().extracting(Ignored::reason).isEqualTo(Ignored.Reason.MALFORMED);
    }

    @Test
    void aConnectionClosedInTheMiddleOfAMessageSaysSoAndShowsWhatCame() throws Exception {
        // "HT" reads as ChannelData on channel 0x4854 announcing 0x5450 bytes that never come.
        serve((in, out) -> {
            readMessage(in);
            write(out, "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
        });
        Transaction binding = runOneBinding();

        assertThat(binding.outcome())
                .isInstanceOfSatisfying(
                        Outcome.Refused.class,
                        r -> assertThat(r.detail())
                                .isEqualTo("TCP connection closed by " + format(address())
                                        + " in the middle of a message"));
        assertThat(ignored).singleElement().extracting(Ignored::reason).isEqualTo(Ignored.Reason.MALFORMED);
    }

    private Transaction runOneBinding() throws Exception {
        try (TransactionLoop loop = new TransactionLoop(ignored::add)) {
            Endpoint endpoint = loop.connect("relay", LOOPBACK, address());
            Transaction binding = Transaction.of("binding", endpoint, address(), Request.binding(), ONCE);
            loop.submit(binding);
            loop.run(deadline(), settled::add);
            return binding;
        }
    }

    @Test
    void aRequestSentOnAClosedConnectionIsRefusedNotThrown() throws Exception {
        serve((in, out) -> write(out, success(readMessage(in))));
        try (TransactionLoop loop = new TransactionLoop(ignored::add)) {
            Endpoint endpoint = loop.connect("relay", LOOPBACK, address());
            loop.submit(Transaction.of("first", endpoint, address(), Request.binding(), ONCE));
            loop.run(deadline(), settled::add);
            endpoint.close();
            Transaction second = Transaction.of("second", endpoint, address(), Request.binding(), ONCE);
            loop.submit(second);

            loop.run(deadline(), settled::add);

            assertThat(second.outcome())
                    .isInstanceOfSatisfying(
                            Outcome.Refused.class, r -> assertThat(r.detail()).contains("is closed"));
        }
    }

    // ---- a scripted TCP server ----

    private void serve(Script script) throws IOException {
        listener = new ServerSocket(0, 5, LOOPBACK);
        serverThread = Thread.ofPlatform().daemon().start(() -> {
            try (Socket socket = listener.accept()) {
                clientAddress = (InetSocketAddress) socket.getRemoteSocketAddress();
                script.run(new DataInputStream(socket.getInputStream()), socket.getOutputStream());
            } catch (IOException e) {
                // the test's assertions say what went wrong
            }
        });
    }

    @FunctionalInterface
    private interface Script {
        void run(DataInputStream in, OutputStream out) throws IOException;
    }

    private InetSocketAddress address() {
        return new InetSocketAddress(LOOPBACK, listener.getLocalPort());
    }

    private static byte[] readMessage(DataInputStream in) throws IOException {
        byte[] header = new byte[20];
        in.readFully(header);
        int length = (header[2] & 0xFF) << 8 | (header[3] & 0xFF);
        byte[] message = Arrays.copyOf(header, 20 + length);
        in.readFully(message, 20, length);
        return message;
    }

    /** A Binding success to {@code request}, with the client's address as XOR-MAPPED-ADDRESS. */
    private byte[] success(byte[] request) throws IOException {
        MessageView view = new MessageView();
        try {
            view.decode(request);
        } catch (Exception e) {
            throw new IOException(e);
        }
        TransactionId id = view.transactionId();
        byte[] buf = new byte[256];
        int n = new MessageEncoder()
                .begin(buf, 0, MessageClass.SUCCESS_RESPONSE, Method.BINDING, id)
                .addXorMappedAddress(clientAddress.getAddress(), clientAddress.getPort())
                .finish(true);
        return Arrays.copyOf(buf, n);
    }

    private static void write(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long deadline() {
        return System.nanoTime() + TIME.toNanos();
    }

    private static String format(InetSocketAddress address) {
        return dev.natcheck.address.AddressText.format(address);
    }
}
