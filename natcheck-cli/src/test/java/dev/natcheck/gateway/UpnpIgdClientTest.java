package dev.natcheck.gateway;

import static dev.natcheck.gateway.ScriptedGateway.ip;
import static dev.natcheck.gateway.ScriptedGateway.send;
import static dev.natcheck.gateway.ScriptedGateway.ssdpOk;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UPnP IGD against a scripted device on loopback: SSDP, the description, GetExternalIPAddress,
 * and everything a broken or hostile device can do instead.
 */
class UpnpIgdClientTest {

    private static final InetAddress LOCAL = ip("127.0.0.1");
    private static final HttpClient HTTP = UpnpIgdClient.newHttpClient();

    @TempDir
    Path dir;

    @AfterAll
    static void closeHttp() {
        HTTP.shutdownNow();
    }

    /** A description in the shape miniupnpd serves, with {@code controlUrl} for WANIPConnection:1. */
    static String description(String controlUrl) {
        return """
                <?xml version="1.0"?>
                <root xmlns="urn:schemas-upnp-org:device-1-0">
                <specVersion><major>1</major><minor>1</minor></specVersion>
                <device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>
                <serviceList><service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType>
                <controlURL>/ctl/L3F</controlURL></service></serviceList>
                <deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType>
                <deviceList><device><deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType>
                <serviceList><service>
                <serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>
                <serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>
                <controlURL>%s</controlURL><eventSubURL>/evt/IPConn</eventSubURL><SCPDURL>/WANIPCn.xml</SCPDURL>
                </service></serviceList></device></deviceList></device></deviceList></device></root>
                """.formatted(controlUrl);
    }

    static String soapAddress(String address) {
        return "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\""
                + " s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>"
                + "<u:GetExternalIPAddressResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">"
                + "<NewExternalIPAddress>" + address + "</NewExternalIPAddress>"
                + "</u:GetExternalIPAddressResponse></s:Body></s:Envelope>";
    }

    static String soapFault(int code, String text) {
        return "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
                + "<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail>"
                + "<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>" + code + "</errorCode>"
                + "<errorDescription>" + text + "</errorDescription></UPnPError></detail></s:Fault>"
                + "</s:Body></s:Envelope>";
    }

    /** A device that answers SSDP with its description URL and serves {@code description} and {@code soap}. */
    static ScriptedGateway device(String description, int soapStatus, String soap) throws IOException {
        ScriptedGateway gateway = ScriptedGateway.start();
        gateway.onSsdp((from, g) -> g.ssdpAnswer(from, ssdpOk(g.httpBase() + "/rootDesc.xml")))
                .onHttp("/rootDesc.xml", exchange -> send(exchange, 200, description))
                .onHttp("/ctl/IPConn", exchange -> {
                    exchange.getRequestBody().readAllBytes();
                    send(exchange, soapStatus, soap);
                });
        return gateway;
    }

    private static GatewayAnswer ask(ScriptedGateway gateway, Duration budget) {
        return new UpnpIgdClient(HTTP).ask(LOCAL, gateway.endpoint("lo"), Budget.after(budget));
    }

    @Test
    void readsTheExternalAddressOfAWellBehavedDevice() throws Exception {
        try (ScriptedGateway gateway = device(description("/ctl/IPConn"), 200, soapAddress("100.64.0.9"))) {
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(3));

            assertThat(answer.protocol()).isEqualTo(Protocol.UPNP);
            assertThat(answer.result()).isEqualTo("ok");
            assertThat(answer.external()).contains(ip("100.64.0.9"));
            assertThat(answer.note()).endsWith("reports its external address 100.64.0.9");
            assertThat(gateway.ssdpRequests().getFirst())
                    .startsWith("M-SEARCH * HTTP/1.1\r\n")
                    .contains("ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1", "MAN: \"ssdp:discover\"")
                    .doesNotContain("MX:");
            assertThat(gateway.httpRequests()).containsExactly("GET /rootDesc.xml", "POST /ctl/IPConn");
        }
    }

    @Test
    void aUpnpErrorIsEvidence() throws Exception {
        try (ScriptedGateway gateway = device(description("/ctl/IPConn"), 500, soapFault(501, "Action Failed"))) {
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(3));

            assertThat(answer.result()).isEqualTo("upnp-error-501");
            assertThat(answer.external()).isEmpty();
            assertThat(answer.note()).contains("UPnP error 501 (Action Failed)");
        }
    }

    @Test
    void theAllZeroAddressMiniupnpdGivesForAReservedWanIsNoExternalAddress() throws Exception {
        try (ScriptedGateway gateway = device(description("/ctl/IPConn"), 200, soapAddress("0.0.0.0"))) {
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(3));

            assertThat(answer.result()).isEqualTo("no-external-address");
            assertThat(answer.external()).isEmpty();
            assertThat(answer.note()).contains("another NAT may sit beyond it");
        }
    }

    @Test
    void anAddressThatIsNoAddressIsMalformed() throws Exception {
        try (ScriptedGateway gateway = device(description("/ctl/IPConn"), 200, soapAddress("gateway.example"))) {
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(3));

            assertThat(answer.result()).isEqualTo("malformed");
            assertThat(answer.note()).contains("not an IPv4 address", "gateway.example");
        }
    }

    @Test
    void anExternalEntityIsNeverRead() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "10.11.12.13");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + description("/ctl/IPConn")
                        .replaceFirst("<\\?xml version=\"1.0\"\\?>", "")
                        .replace("<controlURL>/ctl/IPConn", "<controlURL>/ctl/IPConn&x;");
        try (ScriptedGateway gateway = device(xxe, 200, soapAddress("100.64.0.9"))) {
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(3));

            assertThat(answer.result()).isEqualTo("malformed");
            assertThat(answer.external()).isEmpty();
            assertThat(gateway.httpRequests()).containsExactly("GET /rootDesc.xml");
        }
    }

    @Test
    void anEntityExpansionBombIsRefused() throws Exception {
        StringBuilder bomb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            bomb.append("<!ENTITY a")
                    .append(i)
                    .append(" \"")
                    .append(("&a" + (i - 1) + ";").repeat(10))
                    .append("\">");
        }
        bomb.append("]><root><URLBase>&a9;</URLBase></root>");
        try (ScriptedGateway gateway = device(bomb.toString(), 200, soapAddress("100.64.0.9"))) {
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(3));

            assertThat(answer.result()).isEqualTo("malformed");
        }
    }

    @Test
    void aSoapAnswerWithADoctypeIsRefusedToo() throws Exception {
        String soap = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY ip \"100.64.0.9\">]>"
                + soapAddress("&ip;").replaceFirst("<\\?xml version=\"1.0\"\\?>", "");
        try (ScriptedGateway gateway = device(description("/ctl/IPConn"), 200, soap)) {
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(3));

            assertThat(answer.result()).isEqualTo("malformed");
            assertThat(answer.external()).isEmpty();
        }
    }

    @Test
    void aHugeDescriptionIsCutOff() throws Exception {
        String huge = description("/ctl/IPConn").replace("<root", "<!--" + "x".repeat(200_000) + "--><root");
        try (ScriptedGateway gateway = device(huge, 200, soapAddress("100.64.0.9"))) {
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(3));

            assertThat(answer.result()).isEqualTo("malformed");
            assertThat(answer.note()).contains("larger than " + UpnpIgdClient.MAX_DESCRIPTION + " bytes");
        }
    }

    @Test
    void aDeviceThatTricklesItsXmlIsCutOffAtTheBudget() throws Exception {
        try (ScriptedGateway gateway = ScriptedGateway.start()) {
            gateway.onSsdp((from, g) -> g.ssdpAnswer(from, ssdpOk(g.httpBase() + "/rootDesc.xml")))
                    .onHttp("/rootDesc.xml", exchange -> {
                        exchange.sendResponseHeaders(200, 0);
                        OutputStream body = exchange.getResponseBody();
                        try {
                            for (int i = 0; i < 100; i++) {
                                body.write("<".getBytes(StandardCharsets.US_ASCII));
                                body.flush();
                                Thread.sleep(100);
                            }
                        } catch (InterruptedException | IOException e) {
                            // natcheck hung up, as it should
                        } finally {
                            exchange.close();
                        }
                    });
            GatewayAnswer answer = ask(gateway, Duration.ofMillis(400));

            assertThat(answer.result()).isEqualTo("no-answer");
            assertThat(answer.note()).contains("did not arrive within the budget (slow device)");
        }
    }

    @Test
    void aDeviceThatNeverAnswersSsdpIsNoAnswer() throws Exception {
        try (ScriptedGateway gateway = ScriptedGateway.start()) {
            GatewayAnswer answer = ask(gateway, Duration.ofMillis(300));

            assertThat(answer.result()).isEqualTo("no-answer");
            assertThat(answer.note()).contains("no SSDP answer in time");
            // Once: a second unicast search to a gateway without UPnP would cost another ICMP
            // message from the router's allowance, which the path probe needs.
            assertThat(gateway.ssdpRequests()).as("unicast searched once").hasSize(1);
        }
    }

    @Test
    void aLocationOnAnotherHostIsNeverFetched() throws Exception {
        try (ScriptedGateway elsewhere = ScriptedGateway.start(ip("127.0.0.2"));
                ScriptedGateway gateway = ScriptedGateway.start()) {
            elsewhere.onHttp("/rootDesc.xml", exchange -> send(exchange, 200, description("/ctl/IPConn")));
            gateway.onSsdp((from, g) -> g.ssdpAnswer(from, ssdpOk(elsewhere.httpBase() + "/rootDesc.xml")));
            GatewayAnswer answer = ask(gateway, Duration.ofMillis(300));

            assertThat(answer.result()).isEqualTo("no-answer");
            assertThat(answer.note()).contains("LOCATION is not http:// on the gateway itself");
            assertThat(elsewhere.httpRequests()).isEmpty();
        }
    }

    @Test
    void aControlUrlOnAnotherHostIsNeverAsked() throws Exception {
        try (ScriptedGateway elsewhere = ScriptedGateway.start(ip("127.0.0.2"));
                ScriptedGateway gateway = device("", 200, "")) {
            elsewhere.onHttp("/ctl/IPConn", exchange -> send(exchange, 200, soapAddress("198.51.100.99")));
            gateway.onHttp(
                    "/evil.xml", exchange -> send(exchange, 200, description(elsewhere.httpBase() + "/ctl/IPConn")));
            gateway.onSsdp((from, g) -> g.ssdpAnswer(from, ssdpOk(g.httpBase() + "/evil.xml")));
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(3));

            assertThat(answer.result()).isEqualTo("malformed");
            assertThat(answer.note()).contains("is not http:// on the gateway itself");
            assertThat(elsewhere.httpRequests()).isEmpty();
        }
    }

    @Test
    void garbageSsdpAnswersAreIgnored() throws Exception {
        try (ScriptedGateway gateway = ScriptedGateway.start()) {
            gateway.onSsdp((from, g) -> {
                g.ssdpAnswer(from, "HTTP/1.1 404 Not Found\r\n\r\n");
                g.ssdpAnswer(from, "\u0000\u0001garbage");
                g.ssdpAnswer(from, "HTTP/1.1 200 OK\r\nST: x\r\n\r\n");
            });
            GatewayAnswer answer = ask(gateway, Duration.ofMillis(300));

            assertThat(answer.result()).isEqualTo("no-answer");
            assertThat(answer.note()).contains("no usable SSDP answer in time", "ignored");
        }
    }

    @Test
    void aDescriptionWithoutWanServiceIsMalformed() throws Exception {
        String noWan = description("/ctl/IPConn").replace("WANIPConnection:1", "WANCommonInterfaceConfig:1");
        try (ScriptedGateway gateway = device(noWan, 200, soapAddress("100.64.0.9"))) {
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(3));

            assertThat(answer.result()).isEqualTo("malformed");
            assertThat(answer.note()).contains("has no WAN connection service");
        }
    }

    @Test
    void aDescriptionThatIsNotXmlIsMalformed() throws Exception {
        try (ScriptedGateway gateway = device("<root><device>", 200, soapAddress("100.64.0.9"))) {
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(3));

            assertThat(answer.result()).isEqualTo("malformed");
            assertThat(answer.note()).contains("not XML natcheck reads");
        }
    }

    @Test
    void anHttpErrorIsNamed() throws Exception {
        try (ScriptedGateway gateway = ScriptedGateway.start()) {
            gateway.onSsdp((from, g) -> g.ssdpAnswer(from, ssdpOk(g.httpBase() + "/missing.xml")))
                    .onHttp("/missing.xml", exchange -> send(exchange, 404, "not here"));
            GatewayAnswer answer = ask(gateway, Duration.ofSeconds(3));

            assertThat(answer.result()).isEqualTo("http-404");
            assertThat(answer.note()).contains("answered HTTP 404");
        }
    }
}
