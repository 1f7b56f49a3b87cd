package dev.natcheck.stunserver;

import dev.natcheck.address.AddressText;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser check ({@code --web ADDR:PORT}): a minimal HTTP/1.1 server for one static page
 * (WebRTC ICE gathering against this server's STUN sockets) and {@code /api/info}, a small JSON
 * document with the server's STUN endpoints and the address the request came from. Every fetch
 * of the page or the JSON proves its source address to {@link ProvenSources}, so that the
 * browser's bare Binding requests are answered; see docs/operations.md for the trade-off.
 *
 * <p>Hand-written on purpose, and small: GET and HEAD only, one request per connection, a request
 * head of at most {@link #MAX_HEAD} bytes that must arrive within {@link #REQUEST_TIME}, at most
 * {@link #MAX_CONNECTIONS} connections at once (more are closed at once), no request body read.
 */
public final class WebCheck implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebCheck.class);

    /** The request line and headers; a browser's are well under 2 KB. */
    static final int MAX_HEAD = 8192;
    /** From accept to the end of the request head. */
    static final Duration REQUEST_TIME = Duration.ofSeconds(5);
    /** Connections served at once, over every listening socket. */
    static final int MAX_CONNECTIONS = 64;

    private static final String RESOURCES = "/dev/natcheck/stunserver/web/";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/page.css", "page.css",
            "/page.mjs", "page.mjs",
            "/classify.mjs", "classify.mjs");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8");

    private final StunServer server;
    private final ProvenSources proven;
    private final List<ServerSocket> sockets = new ArrayList<>();
    private final Map<String, byte[]> files;
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);
    private final String csp;
    private volatile boolean closed;

    private WebCheck(StunServer server, Map<String, byte[]> files, List<ServerSocket> sockets) {
        this.server = server;
        this.proven = server.enableProvenSources();
        this.files = files;
        this.sockets.addAll(sockets);
        // The page talks to this server only; the other family's web address is fetched to tell
        // whether that family works, so it is named in connect-src. CSP has no syntax for IPv6
        // literals (Chromium drops such a source as invalid), so with one only the scheme can be.
        StringBuilder connect = new StringBuilder("'self'");
        boolean ipv6 = false;
        for (InetSocketAddress a : boundAddresses()) {
            if (a.getAddress() instanceof Inet4Address && !a.getAddress().isAnyLocalAddress()) {
                connect.append(" http://")
                        .append(host(a.getAddress()))
                        .append(':')
                        .append(a.getPort());
            }
            ipv6 |= !(a.getAddress() instanceof Inet4Address);
        }
        if (ipv6) {
            connect = new StringBuilder("'self' http:");
        }
        this.csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src "
                + connect + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /**
     * Listens on every address (port 0: ephemeral) and serves the check page for {@code server}.
     *
     * @throws IOException if an address cannot be listened on (nothing is left open then)
     */
    public static WebCheck start(List<InetSocketAddress> addresses, StunServer server) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        for (String name : FILES.values()) {
            files.put(name, resource(name));
        }
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (InetSocketAddress address : addresses) {
                // One family per socket: a plain ServerSocket on an IPv4 address would be an
                // IPv6 socket with a mapped address, which is not what ADDR:PORT asked for.
                ServerSocket socket = ServerSocketChannel.open(
                                address.getAddress() instanceof Inet4Address
                                        ? StandardProtocolFamily.INET
                                        : StandardProtocolFamily.INET6)
                        .socket();
                sockets.add(socket);
                socket.setReuseAddress(true);
                try {
                    socket.bind(address, 128);
                } catch (IOException e) {
                    throw new IOException(
                            "cannot listen on TCP " + AddressText.format(address) + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException | RuntimeException e) {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
            throw e;
        }
        WebCheck web = new WebCheck(server, Map.copyOf(files), sockets);
        for (ServerSocket socket : sockets) {
            Thread.ofPlatform()
                    .daemon()
                    .name("web-accept " + AddressText.format((InetSocketAddress) socket.getLocalSocketAddress()))
                    .start(() -> web.acceptLoop(socket));
        }
        return web;
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebCheck.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCES + name + " missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The addresses actually listened on (port 0 replaced by the port bound). */
    public List<InetSocketAddress> boundAddresses() {
        return sockets.stream()
                .map(s -> (InetSocketAddress) s.getLocalSocketAddress())
                .toList();
    }

    private void acceptLoop(ServerSocket socket) {
        while (!closed) {
            Socket connection;
            try {
                connection = socket.accept();
            } catch (IOException e) {
                if (!closed) {
                    // Out of descriptors or the like: say so and back off rather than spin.
                    log.warn("accept on {}: {}", socket.getLocalSocketAddress(), e.toString());
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
                continue;
            }
            if (!connections.tryAcquire()) {
                // Full: refuse at once rather than queue, so a flood of idle connections cannot
                // make the page wait behind it.
                closeQuietly(connection);
                continue;
            }
            Thread.ofVirtual().name("web").start(() -> {
                try {
                    serve(connection);
                } finally {
                    connections.release();
                    closeQuietly(connection);
                }
            });
        }
    }

    private void serve(Socket connection) {
        try {
            connection.setSoTimeout((int) REQUEST_TIME.toMillis());
            long deadline = System.nanoTime() + REQUEST_TIME.toNanos();
            String head = readHead(connection.getInputStream(), deadline);
            OutputStream out = connection.getOutputStream();
            if (head == null) {
                respond(
                        out,
                        431,
                        "Request Header Fields Too Large",
                        "text/plain; charset=utf-8",
                        text("too large"),
                        true);
                return;
            }
            String[] requestLine = head.lines().findFirst().orElse("").strip().split(" ");
            if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
                respond(out, 400, "Bad Request", "text/plain; charset=utf-8", text("bad request"), true);
                return;
            }
            String method = requestLine[0];
            boolean withBody = method.equals("GET");
            if (!withBody && !method.equals("HEAD")) {
                respond(out, 405, "Method Not Allowed", "text/plain; charset=utf-8", text("GET or HEAD only"), true);
                return;
            }
            String target = requestLine[1];
            int query = target.indexOf('?');
            String path = query < 0 ? target : target.substring(0, query);
            InetSocketAddress peer = (InetSocketAddress) connection.getRemoteSocketAddress();
            if (path.equals("/api/info")) {
                prove(peer);
                respond(out, 200, "OK", "application/json", info(peer, connection), withBody);
                return;
            }
            String file = FILES.get(path);
            if (file == null) {
                respond(out, 404, "Not Found", "text/plain; charset=utf-8", text("not found"), withBody);
                return;
            }
            if (path.equals("/")) {
                prove(peer);
            }
            String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
            respond(out, 200, "OK", type, files.get(file), withBody);
        } catch (SocketTimeoutException e) {
            log.debug("web client {} too slow", connection.getRemoteSocketAddress());
        } catch (IOException | RuntimeException e) {
            // One client's trouble ends its connection, never the server.
            log.debug("web client {}: {}", connection.getRemoteSocketAddress(), e.toString());
        }
    }

    /** The request head up to the blank line, or null when it is longer than {@link #MAX_HEAD}. */
    private static String readHead(InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        byte[] buffer = new byte[1024];
        while (true) {
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException("request head not complete in " + REQUEST_TIME);
            }
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("closed before the end of the request head");
            }
            head.write(buffer, 0, n);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                end = text.indexOf("\n\n");
            }
            if (end >= 0) {
                return end <= MAX_HEAD ? text.substring(0, end) : null;
            }
            if (head.size() > MAX_HEAD) {
                return null;
            }
        }
    }

    private void prove(InetSocketAddress peer) {
        byte[] bytes = new byte[16];
        int length = ReceiveLoop.addressBytes(peer.getAddress(), bytes);
        proven.prove(bytes, length, System.nanoTime());
    }

    /** The JSON the page starts from: where to send STUN, and what this server saw of the request. */
    private byte[] info(InetSocketAddress peer, Socket connection) {
        StringBuilder json = new StringBuilder(512).append("{\"stun\":[");
        boolean first = true;
        for (Endpoint e : server.endpoints()) {
            json.append(first ? "" : ",")
                    .append("{\"address\":")
                    .append(e.knowsAddress() ? quote(host(e.local.getAddress())) : "null")
                    .append(",\"port\":")
                    .append(e.port)
                    .append(",\"family\":")
                    .append(quote(e.isIpv4() ? "ipv4" : "ipv6"))
                    .append(",\"ip\":")
                    .append(quote(e.ipIndex == 0 ? "primary" : "alternate"))
                    .append(",\"port_role\":")
                    .append(quote(e.portIndex == 0 ? "primary" : "alternate"))
                    .append('}');
            first = false;
        }
        json.append("],\"rfc5780\":").append(server.config().rfc5780());
        byte[] bytes = new byte[16];
        int length = ReceiveLoop.addressBytes(peer.getAddress(), bytes);
        InetAddress seen;
        try {
            seen = InetAddress.getByAddress(Arrays.copyOf(bytes, length));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        json.append(",\"seen\":{\"address\":")
                .append(quote(host(seen)))
                .append(",\"port\":")
                .append(peer.getPort())
                .append(",\"family\":")
                .append(quote(seen instanceof Inet4Address ? "ipv4" : "ipv6"))
                .append("},\"web\":[");
        first = true;
        for (InetSocketAddress a : boundAddresses()) {
            json.append(first ? "" : ",")
                    .append("{\"address\":")
                    .append(a.getAddress().isAnyLocalAddress() ? "null" : quote(host(a.getAddress())))
                    .append(",\"port\":")
                    .append(a.getPort())
                    .append('}');
            first = false;
        }
        json.append("],\"via\":")
                .append(quote(host(connection.getLocalAddress())))
                .append(",\"window_s\":")
                .append(ProvenSources.WINDOW.toSeconds())
                .append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The address as a browser writes it: IPv6 in RFC 5952 form, so URLs and candidates match. */
    static String host(InetAddress a) {
        return AddressText.format(a);
    }

    /** Only ever addresses and fixed words: nothing to escape but the quotes themselves. */
    private static String quote(String s) {
        return '"' + s + '"';
    }

    private static byte[] text(String s) {
        return (s + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private void respond(OutputStream out, int status, String reason, String type, byte[] body, boolean withBody)
            throws IOException {
        String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Content-Type: " + type + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Cache-Control: no-store\r\n"
                + "Content-Security-Policy: " + csp + "\r\n"
                + "X-Content-Type-Options: nosniff\r\n"
                + "Referrer-Policy: no-referrer\r\n"
                + "Cross-Origin-Resource-Policy: cross-origin\r\n"
                + (status == 405 ? "Allow: GET, HEAD\r\n" : "")
                + "Connection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (withBody) {
            out.write(body);
        }
        out.flush();
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // Nothing to do for a connection already gone.
        }
    }

    /** Stops listening; connections being served finish on their own (bounded by their timeouts). */
    @Override
    public void close() {
        closed = true;
        for (ServerSocket socket : sockets) {
            closeQuietly(socket);
        }
    }
}
