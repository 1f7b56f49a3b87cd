package dev.natcheck.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A gateway on loopback that does what a test scripts: UDP "5351" (PCP and NAT-PMP), UDP "1900"
 * (SSDP) and an HTTP server for the description and SOAP, each on a free port of 127.0.0.1 (or
 * the address given). Records every request, so tests can check what natcheck sent, the PCP
 * deletion included. Nothing here ever leaves loopback.
 */
public final class ScriptedGateway implements AutoCloseable {

    /** What the 5351 side does with one request: reply zero or more times through the gateway. */
    @FunctionalInterface
    public interface PortControlScript {
        void answer(byte[] request, ScriptedGateway gateway, InetSocketAddress from) throws IOException;
    }

    private final InetAddress address;
    private final DatagramSocket portControl;
    private final DatagramSocket ssdp;
    private final HttpServer http;
    private final List<byte[]> portControlRequests = new CopyOnWriteArrayList<>();
    private final List<String> ssdpRequests = new CopyOnWriteArrayList<>();
    private final List<String> httpRequests = new CopyOnWriteArrayList<>();
    private volatile PortControlScript portControlScript = (request, gateway, from) -> {};
    private volatile BiConsumer<InetSocketAddress, ScriptedGateway> ssdpScript = (from, gateway) -> {};

    private ScriptedGateway(InetAddress address) throws IOException {
        this.address = address;
        this.portControl = new DatagramSocket(new InetSocketAddress(address, 0));
        this.ssdp = new DatagramSocket(new InetSocketAddress(address, 0));
        this.http = HttpServer.create(new InetSocketAddress(address, 0), 16);
        http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "scripted-gateway-http");
            thread.setDaemon(true);
            return thread;
        }));
        http.start();
        Thread.ofPlatform().daemon().name("scripted-gateway-5351").start(this::servePortControl);
        Thread.ofPlatform().daemon().name("scripted-gateway-ssdp").start(this::serveSsdp);
    }

    /** A gateway on 127.0.0.1. */
    public static ScriptedGateway start() throws IOException {
        return new ScriptedGateway(ip("127.0.0.1"));
    }

    /** A gateway on another loopback address, e.g. 127.0.0.2 for a second gateway. */
    public static ScriptedGateway start(InetAddress address) throws IOException {
        return new ScriptedGateway(address);
    }

    public ScriptedGateway onPortControl(PortControlScript script) {
        this.portControlScript = script;
        return this;
    }

    /** Answers SSDP searches as {@code script} says (e.g. with {@link #ssdpAnswer}). */
    public ScriptedGateway onSsdp(BiConsumer<InetSocketAddress, ScriptedGateway> script) {
        this.ssdpScript = script;
        return this;
    }

    /** Serves {@code path} over HTTP with {@code handler}. */
    public ScriptedGateway onHttp(String path, HttpHandler handler) {
        http.createContext(path, exchange -> {
            httpRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            handler.handle(exchange);
        });
        return this;
    }

    /** Where natcheck finds this gateway: no multicast, the ports of this fixture. */
    public GatewayEndpoint endpoint(String interfaceName) {
        return new GatewayEndpoint(interfaceName, address, portControl.getLocalPort(), ssdp.getLocalPort(), false);
    }

    public InetAddress address() {
        return address;
    }

    public InetSocketAddress portControlAddress() {
        return (InetSocketAddress) portControl.getLocalSocketAddress();
    }

    /** The base URL of the HTTP server, e.g. {@code http://127.0.0.1:41234}. */
    public String httpBase() {
        return "http://" + address.getHostAddress() + ":" + http.getAddress().getPort();
    }

    public List<byte[]> portControlRequests() {
        return List.copyOf(portControlRequests);
    }

    public List<String> ssdpRequests() {
        return List.copyOf(ssdpRequests);
    }

    public List<String> httpRequests() {
        return List.copyOf(httpRequests);
    }

    /** Sends {@code bytes} to {@code to} from the 5351 socket. */
    public void reply(InetSocketAddress to, byte[] bytes) throws IOException {
        portControl.send(new DatagramPacket(bytes, bytes.length, to));
    }

    /** Sends an SSDP answer to {@code to} from the SSDP socket. */
    public void ssdpAnswer(InetSocketAddress to, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        try {
            ssdp.send(new DatagramPacket(bytes, bytes.length, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A well-formed SSDP answer pointing at {@code location}. */
    public static String ssdpOk(String location) {
        return "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\n"
                + "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                + "USN: uuid:00000000-0000-0000-0000-000000000001::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                + "EXT:\r\nSERVER: scripted UPnP/1.1\r\nLOCATION: " + location + "\r\n\r\n";
    }

    private void servePortControl() {
        byte[] buffer = new byte[2048];
        while (!portControl.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                portControl.receive(packet);
                byte[] request = Arrays.copyOf(buffer, packet.getLength());
                portControlRequests.add(request);
                portControlScript.answer(request, this, (InetSocketAddress) packet.getSocketAddress());
            } catch (IOException e) {
                if (portControl.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serveSsdp() {
        byte[] buffer = new byte[2048];
        while (!ssdp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                ssdp.receive(packet);
            } catch (IOException e) {
                return;
            }
            ssdpRequests.add(new String(buffer, 0, packet.getLength(), StandardCharsets.ISO_8859_1));
            ssdpScript.accept((InetSocketAddress) packet.getSocketAddress(), this);
        }
    }

    @Override
    public void close() {
        portControl.close();
        ssdp.close();
        http.stop(0);
    }

    // --- message builders, after RFC 6887 and RFC 6886 ---

    /** A PCP response header (RFC 6887 section 7.2) to {@code request}'s opcode, no data. */
    public static byte[] pcpResponse(byte[] request, int result) {
        ByteBuffer buffer = ByteBuffer.allocate(24);
        buffer.put((byte) 2)
                .put((byte) (0x80 | (request[1] & 0x7F)))
                .put((byte) 0)
                .put((byte) result);
        buffer.putInt(result == 0 ? 0 : 30).putInt(4242);
        return buffer.array();
    }

    /** A MAP response (RFC 6887 section 11.2) to a MAP {@code request}: its nonce, protocol and port. */
    public static byte[] mapResponse(byte[] request, int result, InetAddress external) {
        ByteBuffer buffer = ByteBuffer.allocate(60);
        buffer.put((byte) 2).put((byte) 0x81).put((byte) 0).put((byte) result);
        buffer.putInt(lifetime(request)).putInt(4242).put(new byte[12]);
        buffer.put(request, 24, 12); // nonce
        buffer.put(request[36]).put(new byte[3]); // protocol, reserved
        buffer.put(request, 40, 2); // internal port
        buffer.put(request, 40, 2); // assigned external port: the same
        buffer.put(Pcp.mapped(external));
        return buffer.array();
    }

    /** The lifetime field of a PCP request. */
    public static int lifetime(byte[] request) {
        return ByteBuffer.wrap(request).getInt(4);
    }

    /** The nonce of a PCP MAP request. */
    public static byte[] nonce(byte[] request) {
        return Arrays.copyOfRange(request, 24, 36);
    }

    public static boolean isPcp(byte[] request, int opcode) {
        return request.length >= 24 && request[0] == 2 && (request[1] & 0x7F) == opcode;
    }

    public static boolean isNatPmpExternalAddressRequest(byte[] request) {
        return request.length == 2 && request[0] == 0 && request[1] == 0;
    }

    /** A NAT-PMP external address response (RFC 6886 section 3.2). */
    public static byte[] natPmpResponse(int result, InetAddress external) {
        byte[] a = external.getAddress();
        return new byte[] {0, (byte) 128, (byte) (result >> 8), (byte) result, 0, 0, 0, 42, a[0], a[1], a[2], a[3]};
    }

    /** What a NAT-PMP-only server answers to a PCP request: version 0, Unsupported Version. */
    public static byte[] natPmpUnsupportedVersion(byte[] request) {
        return new byte[] {0, (byte) (128 + (request[1] & 0x7F)), 0, 1, 0, 0, 0, 42};
    }

    public static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** Writes {@code body} with {@code status} and closes the exchange. */
    public static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=\"utf-8\"");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
