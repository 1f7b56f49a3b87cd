package dev.natcheck.loadgen;

import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.TransactionId;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * A closed-loop UDP load generator for STUN servers: {@code threads} senders, each with its own
 * socket connected to the target and a fixed window of {@code window} outstanding Binding
 * requests. Every valid Binding success answer (right transaction id) releases the next
 * request; a window that stays silent for 20 ms is counted lost and sent again (answers to it
 * that come later are counted as invalid, not answered). So the offered
 * load follows what the server can answer, and loss shows up as loss rather than as a queue
 * growing without bound.
 *
 * <p>Two ways to move the datagrams, the load being the same: {@code batched} (default, Linux)
 * sends the free part of a window with one {@code sendmmsg} and reads every queued answer with
 * one {@code recvmmsg} ({@link BatchedUdp}, through FFM: run with
 * {@code --enable-native-access=ALL-UNNAMED}); {@code nio} is one {@code write} and one
 * {@code read} per datagram on a non-blocking {@code DatagramChannel} with a selector, which
 * costs the generator about as much CPU per answer as a server spends.
 *
 * <p>Bounded: a warm-up phase (not counted) and a measured phase, both in seconds, then it
 * stops. It only ever sends to the one target address, which must be a loopback address.
 *
 * <pre>
 * java -cp ... dev.natcheck.loadgen.StunLoad TARGET_IP PORT [threads] [window] [warmupSeconds]
 *     [seconds] [padding] [sourceIp] [batched|nio]
 * </pre>
 *
 * Prints one line: {@code sent=... answered=... lost=... answered_per_s=... loss_pct=...
 * cpu_us_per_answer=...} (the generator's own CPU time over the measured phase per answer).
 */
public final class StunLoad {

    private static final long SILENCE_NANOS = 20_000_000L;
    private static final int MAX_SECONDS = 120;

    private StunLoad() {}

    /** Per-thread totals of the measured phase. */
    record Totals(long sent, long answered, long lost, long foreign) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: StunLoad TARGET_IP PORT [threads=2] [window=32] [warmup=2] "
                    + "[seconds=5] [padding=0] [sourceIp=127.0.0.1] [io=batched|nio]");
            System.exit(2);
        }
        InetAddress target = InetAddress.ofLiteral(args[0]);
        if (!target.isLoopbackAddress()) {
            // Load only ever goes to this machine.
            System.err.println("StunLoad: target must be a loopback address, got " + args[0]);
            System.exit(2);
        }
        int port = Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        double warmup = args.length > 4 ? Double.parseDouble(args[4]) : 2;
        double seconds = args.length > 5 ? Double.parseDouble(args[5]) : 5;
        int padding = args.length > 6 ? Integer.parseInt(args[6]) : 0;
        InetAddress source = InetAddress.ofLiteral(args.length > 7 ? args[7] : "127.0.0.1");
        boolean batched = !(args.length > 8 && args[8].equals("nio"));
        if (warmup + seconds > MAX_SECONDS || threads < 1 || threads > 64 || window < 1 || window > 4096) {
            System.err.println("StunLoad: at most " + MAX_SECONDS + " s, 1..64 threads, window 1..4096");
            System.exit(2);
        }

        InetSocketAddress to = new InetSocketAddress(target, port);
        if (batched) {
            // Linking the native calls takes a few hundred ms: not out of the timed phases.
            BatchedUdp.link();
        }
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        List<Totals> results = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofPlatform().name("load-" + t).start(() -> {
                try {
                    Totals totals = batched
                            ? runBatched(id, to, source, window, padding, measureFrom, end)
                            : run(id, to, source, window, padding, measureFrom, end);
                    synchronized (results) {
                        results.add(totals);
                    }
                } catch (IOException e) {
                    System.err.println("load-" + id + ": " + e);
                } finally {
                    done.countDown();
                }
            }));
        }
        // The generator's own CPU time over the measured phase, to show whether it, not the server,
        // is the limit.
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long untilMeasured = measureFrom - System.nanoTime();
        if (untilMeasured > 0) {
            Thread.sleep(untilMeasured / 1_000_000, (int) (untilMeasured % 1_000_000));
        }
        long cpu0 = os.getProcessCpuTime();
        done.await();
        long cpu1 = os.getProcessCpuTime();
        long sent = 0;
        long answered = 0;
        long lost = 0;
        long foreign = 0;
        for (Totals r : results) {
            sent += r.sent();
            answered += r.answered();
            lost += r.lost();
            foreign += r.foreign();
        }
        System.out.printf(
                Locale.ROOT,
                "sent=%d answered=%d lost=%d invalid=%d answered_per_s=%.0f loss_pct=%.3f "
                        + "cpu_us_per_answer=%.2f%n",
                sent,
                answered,
                lost,
                foreign,
                answered / seconds,
                sent == 0 ? 0.0 : 100.0 * lost / sent,
                (cpu1 - cpu0) / 1e3 / Math.max(answered, 1));
    }

    /**
     * One thread's Binding request, exactly as long as it encodes. Transaction id: byte 8 the
     * thread, byte 9 the window generation, bytes 12..19 a sequence number. The generation changes
     * when a silent window is written off, so an answer that arrives after that (late, not lost) is
     * not taken for one of the new window's.
     */
    private static byte[] requestTemplate(int id, int padding) {
        byte[] request = new byte[2048];
        MessageEncoder encoder =
                new MessageEncoder().begin(request, 0, MessageClass.REQUEST, Method.BINDING, TransactionId.random());
        if (padding > 0) {
            encoder.addPadding(padding);
        }
        request = Arrays.copyOf(request, encoder.finish(false));
        request[8] = (byte) id;
        return request;
    }

    private static Totals run(
            int id, InetSocketAddress to, InetAddress source, int window, int padding, long measureFrom, long end)
            throws IOException {
        byte[] request = requestTemplate(id, padding);
        int length = request.length;
        ByteBuffer out = ByteBuffer.allocateDirect(2048);
        ByteBuffer in = ByteBuffer.allocateDirect(65_536);
        MemorySegment received = MemorySegment.ofBuffer(in); // the whole buffer, whatever its position
        long seq = 0;
        try (DatagramChannel channel = DatagramChannel.open(
                        source instanceof java.net.Inet4Address
                                ? StandardProtocolFamily.INET
                                : StandardProtocolFamily.INET6);
                Selector selector = Selector.open()) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            channel.bind(new InetSocketAddress(source, 0));
            channel.connect(to);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            long now = System.nanoTime();
            Tally tally = new Tally(measureFrom, now);
            request[9] = tally.generation;
            while (now < end) {
                while (tally.outstanding < window) {
                    putLong(request, 12, seq++);
                    out.clear();
                    out.put(request, 0, length).flip();
                    try {
                        channel.write(out);
                    } catch (java.net.PortUnreachableException e) {
                        // Server not (yet) there: counts as lost below.
                    }
                    tally.sent(now, 1);
                }
                in.clear();
                int n;
                try {
                    n = channel.read(in);
                } catch (java.net.PortUnreachableException e) {
                    n = 0;
                }
                now = System.nanoTime();
                if (n > 0) {
                    tally.received(now, isAnswer(received, 0, n, id, tally.generation));
                    continue;
                }
                if (tally.silenceEnds(now)) {
                    request[9] = tally.generation;
                    continue;
                }
                selector.select(5);
                selector.selectedKeys().clear();
                now = System.nanoTime();
            }
            return tally.totals();
        }
    }

    private static Totals runBatched(
            int id, InetSocketAddress to, InetAddress source, int window, int padding, long measureFrom, long end)
            throws IOException {
        byte[] request = requestTemplate(id, padding);
        int length = request.length;
        long seq = 0;
        ValueLayout.OfLong seqLayout = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
        // A 5 ms receive timeout: the loop looks at the clock (silence, end) at least that often.
        try (BatchedUdp socket = new BatchedUdp(source, to.getAddress(), to.getPort(), window, 5_000)) {
            long now = System.nanoTime();
            Tally tally = new Tally(measureFrom, now);
            while (now < end) {
                int free = window - tally.outstanding;
                if (free > 0) {
                    request[9] = tally.generation;
                    for (int k = 0; k < free; k++) {
                        long slot = BatchedUdp.slot(k);
                        MemorySegment.copy(request, 0, socket.tx, ValueLayout.JAVA_BYTE, slot, length);
                        socket.tx.set(seqLayout, slot + 12, seq++);
                    }
                    socket.send(free, length);
                    tally.sent(now, free);
                }
                int got = socket.receive();
                now = System.nanoTime();
                for (int k = 0; k < got; k++) {
                    long slot = BatchedUdp.slot(k);
                    tally.received(now, isAnswer(socket.rx, slot, socket.length(k), id, tally.generation));
                }
                tally.silenceEnds(now);
            }
            return tally.totals();
        }
    }

    /** One thread's requests in flight and its counts of the measured phase. */
    private static final class Tally {
        private final long measureFrom;
        private long sent;
        private long answered;
        private long lost;
        private long foreign;
        private long lastAnswer;
        /** Requests sent and neither answered nor given up as lost. */
        int outstanding;
        /** Byte 9 of this thread's transaction ids: a new one after each silence, so late answers count as foreign. */
        byte generation;

        Tally(long measureFrom, long now) {
            this.measureFrom = measureFrom;
            this.lastAnswer = now;
        }

        void sent(long now, int count) {
            outstanding += count;
            if (now >= measureFrom) {
                sent += count;
            }
        }

        void received(long now, boolean answer) {
            if (answer) {
                outstanding--;
                lastAnswer = now;
                if (now >= measureFrom) {
                    answered++;
                }
            } else if (now >= measureFrom) {
                foreign++;
            }
        }

        /** Whether no answer came for {@link #SILENCE_NANOS}: what is outstanding is then lost. */
        boolean silenceEnds(long now) {
            if (now - lastAnswer <= SILENCE_NANOS) {
                return false;
            }
            if (now >= measureFrom) {
                lost += outstanding;
            }
            outstanding = 0;
            generation++;
            lastAnswer = now;
            return true;
        }

        Totals totals() {
            return new Totals(sent, answered, lost, foreign);
        }
    }

    /** Whether the datagram at {@code at} is a Binding success response to this thread's current requests. */
    private static boolean isAnswer(MemorySegment rx, long at, int length, int id, byte generation) {
        return length >= 20
                && rx.get(ValueLayout.JAVA_BYTE, at) == 0x01
                && rx.get(ValueLayout.JAVA_BYTE, at + 1) == 0x01
                && rx.get(ValueLayout.JAVA_BYTE, at + 8) == (byte) id
                && rx.get(ValueLayout.JAVA_BYTE, at + 9) == generation;
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
