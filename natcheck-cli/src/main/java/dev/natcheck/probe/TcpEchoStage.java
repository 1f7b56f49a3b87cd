package dev.natcheck.probe;

import dev.natcheck.address.AddressText;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The whoami echo over TCP: connect from the target's address to every host's whoami port at
 * once, read one line of at most {@value #MAX_LINE} bytes, parse it strictly. A malformed line is
 * a note, never an exception.
 */
public final class TcpEchoStage implements TcpStage {

    /** The whoami line limit, newline included (docs/design.md §5). */
    public static final int MAX_LINE = 64;

    private sealed interface Attempt {
        String note();
    }

    private record Answered(InetSocketAddress local, InetSocketAddress server, InetSocketAddress mapped, Duration rtt)
            implements Attempt {
        @Override
        public String note() {
            return "";
        }
    }

    private record Rejected(String note) implements Attempt {}

    private record Silent(String note) implements Attempt {}

    private record Garbled(String note) implements Attempt {}

    @Override
    public Result echo(ProbeTarget target, List<InetSocketAddress> hosts, Deadline deadline)
            throws InterruptedException {
        if (hosts.isEmpty()) {
            return new TimedOut(List.of("TCP echo: no server to connect to"));
        }
        List<Socket> sockets = new ArrayList<>();
        // Not try-with-resources: close() would wait for attempts that the deadline already gave up on.
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        CompletionService<Attempt> completion = new ExecutorCompletionService<>(executor);
        List<Future<Attempt>> futures = new ArrayList<>();
        Notes notes = new Notes();
        try {
            for (InetSocketAddress host : hosts) {
                Socket socket = new Socket();
                synchronized (sockets) {
                    sockets.add(socket);
                }
                futures.add(completion.submit(() -> attempt(socket, target, host, deadline)));
            }
            int refused = 0;
            int garbled = 0;
            for (int done = 0; done < hosts.size(); done++) {
                Future<Attempt> next = completion.poll(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
                if (next == null) {
                    notes.add("TCP echo: no answer from " + (hosts.size() - done) + " server(s) in time");
                    return new TimedOut(notes.lines());
                }
                Attempt attempt = next.resultNow();
                switch (attempt) {
                    case Answered a -> {
                        return new Echoed(a.local(), a.server(), a.mapped(), a.rtt(), notes.lines());
                    }
                    case Rejected r -> refused++;
                    case Garbled g -> garbled++;
                    case Silent s -> {}
                }
                notes.add(attempt.note());
            }
            if (refused == hosts.size()) {
                return new Refused(notes.lines());
            }
            return garbled > 0 ? new Malformed(notes.lines()) : new TimedOut(notes.lines());
        } finally {
            futures.forEach(f -> f.cancel(true));
            synchronized (sockets) {
                for (Socket socket : sockets) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing is best effort: the attempt already ended or was abandoned
                    }
                }
            }
            executor.shutdownNow();
        }
    }

    private static Attempt attempt(Socket socket, ProbeTarget target, InetSocketAddress host, Deadline deadline) {
        String label = AddressText.format(host);
        long start = System.nanoTime();
        try {
            socket.bind(new InetSocketAddress(target.address(), 0));
            int timeout = (int) Math.max(1, Math.min(Integer.MAX_VALUE, deadline.remainingMillis()));
            socket.connect(host, timeout);
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, deadline.remainingMillis())));
            byte[] line = new byte[MAX_LINE];
            int length = 0;
            InputStream in = socket.getInputStream();
            while (length < MAX_LINE) {
                int n = in.read(line, length, MAX_LINE - length);
                if (n < 0) {
                    break;
                }
                int end = length + n;
                for (int i = length; i < end; i++) {
                    if (line[i] == '\n') {
                        return parse(socket, host, line, i + 1, start, label);
                    }
                }
                length = end;
            }
            String shown = show(line, length);
            return new Garbled("TCP echo " + label + ": malformed line \"" + shown + "\" ("
                    + (length >= MAX_LINE ? "no newline within " + MAX_LINE + " bytes" : "closed before a newline")
                    + ")");
        } catch (ConnectException | NoRouteToHostException e) {
            return new Rejected("TCP echo " + label + ": connection refused");
        } catch (SocketTimeoutException e) {
            return new Silent("TCP echo " + label + ": no answer in time");
        } catch (IOException e) {
            return new Silent("TCP echo " + label + ": " + e.getMessage());
        }
    }

    private static Attempt parse(
            Socket socket, InetSocketAddress host, byte[] line, int length, long start, String label) {
        String text = new String(line, 0, length - 1, StandardCharsets.US_ASCII);
        boolean ascii = true;
        for (int i = 0; i < length - 1; i++) {
            ascii &= line[i] > 0x20 && line[i] < 0x7F;
        }
        Optional<InetSocketAddress> mapped = ascii ? AddressText.parseSocketAddress(text) : Optional.empty();
        if (mapped.isEmpty()) {
            return new Garbled("TCP echo " + label + ": malformed line \"" + show(line, length)
                    + "\" (expected ADDRESS:PORT or [IPV6]:PORT and a newline)");
        }
        Duration rtt = Duration.ofNanos(System.nanoTime() - start);
        return new Answered((InetSocketAddress) socket.getLocalSocketAddress(), host, mapped.get(), rtt);
    }

    /** The bytes as printable ASCII, everything else as \xNN, so evidence never carries control characters. */
    static String show(byte[] bytes, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int b = bytes[i] & 0xFF;
            if (b == '\n') {
                text.append("\\n");
            } else if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b));
            }
        }
        return text.toString();
    }
}
