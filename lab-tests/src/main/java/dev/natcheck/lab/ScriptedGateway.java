package dev.natcheck.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A misbehaving home gateway for the lab's error paths, run as a process in the cpe namespace
 * where miniupnpd would run: PCP/NAT-PMP on UDP 5351, SSDP on UDP 1900 (unicast and the multicast
 * group on the LAN interface) and the UPnP description and control URL over HTTP, each doing what
 * the mode says. The mode is read from a file before every answer, so one process serves a whole
 * table of cases.
 *
 * <pre>
 * java -cp lab-tests/target/classes dev.natcheck.lab.ScriptedGateway ADDRESS IFACE HTTP_PORT MODE_FILE
 * </pre>
 *
 * Modes: {@code pcp:CODE:ADDRESS} (MAP answered with that result and address), {@code
 * natpmp:CODE:ADDRESS} (PCP refused as unsupported version, NAT-PMP answered), {@code
 * upnp:ADDRESS}, {@code upnp-error:CODE}, {@code garbage}, {@code silent}, {@code slow-xml}, {@code
 * entity-bomb}. In the UPnP modes port 5351 stays silent.
 */
public final class ScriptedGateway {

    private final InetAddress address;
    private final int httpPort;
    private final Path modeFile;

    private ScriptedGateway(InetAddress address, int httpPort, Path modeFile) {
        this.address = address;
        this.httpPort = httpPort;
        this.modeFile = modeFile;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ScriptedGateway ADDRESS IFACE HTTP_PORT MODE_FILE");
            System.exit(2);
        }
        InetAddress address = InetAddress.getByName(args[0]);
        NetworkInterface nic = NetworkInterface.getByName(args[1]);
        ScriptedGateway gateway = new ScriptedGateway(address, Integer.parseInt(args[2]), Path.of(args[3]));
        DatagramSocket portControl = new DatagramSocket(new InetSocketAddress(address, 5351));
        MulticastSocket ssdp = new MulticastSocket(new InetSocketAddress(1900));
        ssdp.joinGroup(new InetSocketAddress(InetAddress.getByName("239.255.255.250"), 1900), nic);
        HttpServer http = HttpServer.create(new InetSocketAddress(address, gateway.httpPort), 16);
        http.createContext("/rootDesc.xml", gateway::description);
        http.createContext("/ctl/IPConn", gateway::control);
        http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        http.start();
        Thread.ofPlatform().start(() -> gateway.servePortControl(portControl));
        Thread.ofPlatform().start(() -> gateway.serveSsdp(ssdp));
        System.err.println("scripted gateway listening on " + args[0] + ":5351, :1900 and :" + args[2]);
    }

    private String mode() {
        try {
            return Files.readString(modeFile).strip();
        } catch (IOException e) {
            return "silent";
        }
    }

    private void servePortControl(DatagramSocket socket) {
        byte[] buffer = new byte[1100];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                byte[] request = Arrays.copyOf(buffer, packet.getLength());
                for (byte[] answer : portControlAnswers(mode(), request)) {
                    socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("5351: " + e);
            }
        }
    }

    /** What the 5351 side answers to {@code request} in {@code mode}. */
    static byte[][] portControlAnswers(String mode, byte[] request) throws IOException {
        String[] parts = mode.split(":");
        boolean pcp = request.length >= 24 && request[0] == 2;
        boolean natPmp = request.length == 2 && request[0] == 0 && request[1] == 0;
        switch (parts[0]) {
            case "pcp" -> {
                if (!pcp) {
                    return new byte[0][];
                }
                int opcode = request[1] & 0x7F;
                if (opcode == 0) {
                    return new byte[][] {pcpHeader(opcode, 0, 0)};
                }
                int lifetime = ByteBuffer.wrap(request).getInt(4);
                int result = lifetime == 0 ? 0 : Integer.parseInt(parts[1]);
                return new byte[][] {mapResponse(request, result, InetAddress.getByName(parts[2]))};
            }
            case "natpmp" -> {
                if (pcp) {
                    return new byte[][] {{0, (byte) (128 + (request[1] & 0x7F)), 0, 1, 0, 0, 0, 7}};
                }
                if (natPmp) {
                    int result = Integer.parseInt(parts[1]);
                    byte[] a = InetAddress.getByName(parts[2]).getAddress();
                    return new byte[][] {{0, (byte) 128, 0, (byte) result, 0, 0, 0, 7, a[0], a[1], a[2], a[3]}};
                }
                return new byte[0][];
            }
            case "garbage" -> {
                return new byte[][] {
                    {1, 2, 3}, new byte[25], "HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII)
                };
            }
            default -> {
                return new byte[0][];
            }
        }
    }

    private static byte[] pcpHeader(int opcode, int result, int lifetime) {
        ByteBuffer buffer = ByteBuffer.allocate(24);
        buffer.put((byte) 2).put((byte) (0x80 | opcode)).put((byte) 0).put((byte) result);
        buffer.putInt(lifetime).putInt(7);
        return buffer.array();
    }

    private static byte[] mapResponse(byte[] request, int result, InetAddress external) {
        ByteBuffer buffer = ByteBuffer.allocate(60);
        buffer.put(pcpHeader(1, result, result == 0 ? ByteBuffer.wrap(request).getInt(4) : 30));
        buffer.put(request, 24, 12).put(request[36]).put(new byte[3]);
        buffer.put(request, 40, 2).put(request, 40, 2);
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(external.getAddress(), 0, mapped, 12, 4);
        buffer.put(mapped);
        return buffer.array();
    }

    private void serveSsdp(MulticastSocket socket) {
        byte[] buffer = new byte[2048];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                String request = new String(buffer, 0, packet.getLength(), StandardCharsets.ISO_8859_1);
                if (!request.startsWith("M-SEARCH")) {
                    continue;
                }
                String mode = mode();
                String answer;
                if (mode.equals("silent") || mode.startsWith("pcp") || mode.startsWith("natpmp")) {
                    continue;
                } else if (mode.equals("garbage")) {
                    answer = "HTTP/1.1 200 OK\r\nLOCATION: gopher://" + address.getHostAddress() + "/\r\n\r\n";
                } else {
                    answer = "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\n"
                            + "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nEXT:\r\n"
                            + "USN: uuid:00000000-0000-0000-0000-00000000000a::"
                            + "urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                            + "LOCATION: http://" + address.getHostAddress() + ":" + httpPort + "/rootDesc.xml\r\n\r\n";
                }
                byte[] bytes = answer.getBytes(StandardCharsets.ISO_8859_1);
                // Answered from the gateway's own address, as a real device does.
                try (DatagramSocket reply = new DatagramSocket(new InetSocketAddress(address, 0))) {
                    reply.send(new DatagramPacket(bytes, bytes.length, packet.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("1900: " + e);
            }
        }
    }

    private void description(HttpExchange exchange) throws IOException {
        String mode = mode();
        switch (mode) {
            case "slow-xml" -> {
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream body = exchange.getResponseBody()) {
                    for (int i = 0; i < 600; i++) {
                        body.write('<');
                        body.flush();
                        Thread.sleep(100);
                    }
                } catch (InterruptedException | IOException e) {
                    // natcheck hung up, as it should
                }
                exchange.close();
            }
            case "entity-bomb" -> {
                StringBuilder bomb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a0 \"lol\">");
                for (int i = 1; i < 10; i++) {
                    bomb.append("<!ENTITY a")
                            .append(i)
                            .append(" \"")
                            .append(("&a" + (i - 1) + ";").repeat(10))
                            .append("\">");
                }
                send(
                        exchange,
                        200,
                        bomb.append("]><root><URLBase>&a9;</URLBase></root>").toString());
            }
            default ->
                send(
                        exchange,
                        200,
                        "<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device>"
                                + "<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>"
                                + "<deviceList><device><deviceList><device><serviceList><service>"
                                + "<serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>"
                                + "<controlURL>/ctl/IPConn</controlURL></service></serviceList></device>"
                                + "</deviceList></device></deviceList></device></root>");
        }
    }

    private void control(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String[] mode = mode().split(":");
        if (mode[0].equals("upnp-error")) {
            send(
                    exchange,
                    500,
                    "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                            + "<s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring>"
                            + "<detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>" + mode[1]
                            + "</errorCode><errorDescription>Action Failed</errorDescription></UPnPError></detail>"
                            + "</s:Fault></s:Body></s:Envelope>");
            return;
        }
        String external = mode.length > 1 ? mode[1] : "0.0.0.0";
        send(
                exchange,
                200,
                "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
                        + "<u:GetExternalIPAddressResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">"
                        + "<NewExternalIPAddress>" + external + "</NewExternalIPAddress>"
                        + "</u:GetExternalIPAddressResponse></s:Body></s:Envelope>");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
