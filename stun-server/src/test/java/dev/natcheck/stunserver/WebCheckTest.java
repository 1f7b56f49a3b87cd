package dev.natcheck.stunserver;

import static dev.natcheck.stunserver.StunServerTest.LOOPBACK;
import static dev.natcheck.stunserver.StunServerTest.assertCount;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.address.AddressText;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageView;
import dev.natcheck.stun.TransactionId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The browser check's HTTP side and the bare-request rule, over real loopback sockets. */
class WebCheckTest {

    private static final InetAddress OTHER_LOOPBACK = InetAddress.ofLiteral("127.0.0.3");

    private StunServer stun;
    private WebCheck web;
    private InetSocketAddress page;

    @BeforeEach
    void start() throws IOException {
        stun = SocketIoUnderTest.start(StunServerTest.rfc5780Config());
        web = WebCheck.start(List.of(new InetSocketAddress(LOOPBACK, 0)), stun);
        page = web.boundAddresses().getFirst();
    }

    @AfterEach
    void stop() {
        web.close();
        stun.close();
    }

    /** Sends {@code request} as is from 127.0.0.1 and reads the whole response (the server closes). */
    private String http(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(LOOPBACK, 0));
            socket.connect(page, 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String get(String path) throws IOException {
        return http("GET " + path + " HTTP/1.1\r\nHost: " + AddressText.format(page) + "\r\n\r\n");
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void servesThePageSelfContainedAndSmall() throws IOException {
        String response = get("/");

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Type: text/html; charset=utf-8");
        assertThat(response).contains("Content-Security-Policy: default-src 'none'; script-src 'self';");
        String html = body(response);
        assertThat(html).contains("<main>", "/page.mjs", "/page.css", "role=\"status\"");
        // Nothing from elsewhere: every script, style and link is the server's own.
        assertThat(html).doesNotContain("http://", "https://", "//cdn");
        int total = html.length();
        for (String file : List.of("/page.mjs", "/classify.mjs", "/page.css")) {
            String r = get(file);
            assertThat(r).as(file).startsWith("HTTP/1.1 200 OK").doesNotContain("https://");
            total += body(r).length();
        }
        assertThat(total).as("bytes of the whole page").isLessThan(50_000);
        assertThat(get("/page.mjs")).contains("Content-Type: text/javascript");
    }

    @Test
    void theJsonNamesTheFourStunEndpointsAndTheRequestsSource() throws IOException {
        String response = get("/api/info?t=1");

        assertThat(response).startsWith("HTTP/1.1 200 OK").contains("Content-Type: application/json");
        String json = body(response);
        List<InetSocketAddress> stunSockets = stun.boundAddresses();
        assertThat(json)
                .contains("{\"address\":\"127.0.0.1\",\"port\":"
                        + stunSockets.get(0).getPort()
                        + ",\"family\":\"ipv4\",\"ip\":\"primary\",\"port_role\":\"primary\"}")
                .contains("{\"address\":\"127.0.0.2\",\"port\":"
                        + stunSockets.get(3).getPort()
                        + ",\"family\":\"ipv4\",\"ip\":\"alternate\",\"port_role\":\"alternate\"}")
                .contains("\"rfc5780\":true")
                .contains("\"seen\":{\"address\":\"127.0.0.1\",\"port\":")
                .contains("\"window_s\":10");
    }

    @Test
    void headGetsTheHeadersOnly() throws IOException {
        String response = http("HEAD / HTTP/1.1\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\n");
    }

    @Test
    void anythingElseGetsAOneLineError() throws IOException {
        assertThat(http("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"))
                .startsWith("HTTP/1.1 405 Method Not Allowed")
                .contains("Allow: GET, HEAD");
        assertThat(get("/../etc/passwd")).startsWith("HTTP/1.1 404 Not Found");
        assertThat(get("/metrics")).startsWith("HTTP/1.1 404 Not Found");
        assertThat(http("hello\r\n\r\n")).startsWith("HTTP/1.1 400 Bad Request");
        assertThat(http("GET / HTTP/1.1\r\nX-Big: " + "a".repeat(WebCheck.MAX_HEAD) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431 Request Header Fields Too Large");
        // Still serving after all that.
        assertThat(get("/")).startsWith("HTTP/1.1 200 OK");
    }

    @Test
    void aClientThatSendsNothingIsDisconnected() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(page, 5_000);
            socket.setSoTimeout((int) WebCheck.REQUEST_TIME.toMillis() * 3);
            socket.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                in.transferTo(got);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept a silent client's connection open", e);
            }
            assertThat(got.size()).isZero();
        }
    }

    @Test
    void bareRequestsAreAnsweredOnlyForASourceThatFetchedThePage() throws Exception {
        InetSocketAddress primary = stun.boundAddresses().getFirst();
        try (TestClient browser = new TestClient(LOOPBACK);
                TestClient stranger = new TestClient(OTHER_LOOPBACK)) {
            // Before any fetch: the plain 20-byte request would draw a larger answer, so none.
            browser.send(Requests.plain(TransactionId.random()), primary);
            assertCount(stun, Counter.DROPPED_AMPLIFICATION, 1);

            assertThat(get("/")).startsWith("HTTP/1.1 200 OK");

            TransactionId id = TransactionId.random();
            MessageView answer = Requests.decode(
                    browser.exchange(Requests.plain(id), primary).bytes());
            assertThat(answer.messageClass()).isEqualTo(MessageClass.SUCCESS_RESPONSE);
            assertThat(answer.transactionIdMatches(id)).isTrue();
            assertThat(answer.xorMappedAddress().orElseThrow().socketAddress()).isEqualTo(browser.local());

            // Another address never fetched the page: still dropped.
            stranger.send(Requests.plain(TransactionId.random()), primary);
            assertCount(stun, Counter.DROPPED_AMPLIFICATION, 2);
            assertThat(stranger.drain()).isEmpty();
        }
    }

    @Test
    void oneFetchBuysABoundedNumberOfAnswers() throws Exception {
        InetSocketAddress primary = stun.boundAddresses().getFirst();
        assertThat(get("/api/info")).startsWith("HTTP/1.1 200 OK");
        int sent = ProvenSources.ANSWERS + 20;
        try (TestClient flood = new TestClient(LOOPBACK)) {
            for (int i = 0; i < sent; i++) {
                flood.send(Requests.plain(TransactionId.random()), primary);
            }
            assertCount(stun, Counter.RECEIVED, sent);
            assertCount(stun, Counter.ANSWERED, ProvenSources.ANSWERS);
            assertCount(stun, Counter.DROPPED_AMPLIFICATION, 20);
        }
    }

    @Test
    void aSecondAddressThatCannotBeListenedOnFailsTheStartAndLeavesNothingOpen() throws IOException {
        InetSocketAddress taken = web.boundAddresses().getFirst();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> WebCheck.start(List.of(new InetSocketAddress(OTHER_LOOPBACK, 0), taken), stun))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot listen on TCP 127.0.0.1:" + taken.getPort());
    }
}
