package dev.natcheck.lab;

import static dev.natcheck.lab.LabAssumptions.assumeArtifact;
import static dev.natcheck.lab.LabAssumptions.assumeLab;
import static dev.natcheck.lab.LabAssumptions.assumeTool;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The browser check (stun-server --web) in real Chromium inside the NAT lab: the page and the
 * STUN server in the server namespace, headless Chromium in the client namespace, the server in
 * its default no-amplification mode, so the browser's bare requests are answered only because
 * it fetched the page. Each run saves a screenshot under target/webcheck/ and appends how long
 * the verdict took to target/lab-logs/webcheck-timing.tsv (docs/benchmarks.md).
 */
class WebCheckLabTest {

    private static final int WEB_PORT = 8000;
    private static final int METRICS_PORT = 9100;
    /** The forged source of the flood: an access-network address no namespace has. */
    private static final String FORGED_SOURCE = "198.51.100.99";
    /** The flooder's local ports, each SNATed to one forged source. */
    private static final int FORGED_PORT = 40999;

    private static final int FORGED_BROWSER_PORT = 41999;

    private static final int FLOOD = 300;
    private static final Duration VERDICT_LIMIT = Duration.ofSeconds(15);
    /** Lets Chromium show host addresses instead of mDNS names (chrome://flags calls it so too). */
    private static final String SHOW_HOST_ADDRESSES = "--disable-features=WebRtcHideLocalIpsWithMdns";

    private static final Path SCREENSHOTS =
            Path.of(System.getProperty("natcheck.lab.logs", "target/lab-logs")).resolveSibling("webcheck");
    private static final Path TIMINGS =
            Path.of(System.getProperty("natcheck.lab.logs", "target/lab-logs")).resolve("webcheck-timing.tsv");

    /** What the page showed. */
    record Shown(String verdict, String headline, long verdictMillis, long wallMillis, String json) {}

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(
                        Topology.CPE, List.of(), "endpoint-independent", "endpoint-independent mapping", "unreachable"),
                Arguments.of(Topology.SYMMETRIC, List.of(), "symmetric", "Symmetric NAT", "unreachable"),
                Arguments.of(Topology.UDPBLOCKED, List.of(), "udp-blocked", "UDP is blocked", "unreachable"),
                // Without its host address the page cannot tell no NAT from a port-keeping NAT;
                // a browser shows it when allowed to (a flag, a policy, or a media permission).
                Arguments.of(Topology.OPEN, List.of(SHOW_HOST_ADDRESSES), "no-nat", "No NAT", "unreachable"),
                // IPv4 behind the router's NAT, IPv6 routed: the page, loaded over IPv4, reaches
                // the server's IPv6 web address. Chromium files the lab's stand-in IPv6 Internet
                // (2001:db8::/32, a documentation range) under its "local" address space and
                // blocks such fetches from a public plain-HTTP page; a real server's IPv6 address
                // is public, so the lab turns that check off.
                Arguments.of(
                        Topology.V6OPEN,
                        List.of("--disable-features=LocalNetworkAccessChecks"),
                        "endpoint-independent",
                        "endpoint-independent mapping",
                        "available"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("table")
    void thePageNamesTheNat(Topology topology, List<String> flags, String verdict, String words, String ipv6)
            throws Exception {
        Lab lab = assumeLab();
        assumeTool(HeadlessChromium.BINARY);
        Path stunJar = assumeArtifact(ProjectServers.STUN_JAR);
        try (LabNetwork net = lab.up(topology)) {
            startServer(net, stunJar);
            try (HeadlessChromium browser = startBrowser(net, flags)) {
                browser.open(1000, 900, false);
                Shown shown = check(net, browser);

                browser.screenshot(SCREENSHOTS.resolve(topology + ".png"));
                // What the window shows first: the one in the README (docs/webcheck-cpe.png).
                browser.screenshot(SCREENSHOTS.resolve(topology + "-window.png"), false);
                record(topology, flags, shown);
                // -Dwebcheck.runs=N loads the page N times in all, for the timing figures.
                for (int run = 2; run <= Integer.getInteger("webcheck.runs", 1); run++) {
                    Shown again = check(net, browser);
                    record(topology, flags, again);
                    assertThat(again.verdict()).as(again.json()).isEqualTo(verdict);
                }
                assertThat(shown.verdict()).as(shown.json()).isEqualTo(verdict);
                assertThat(shown.headline()).contains(words);
                assertThat(shown.json()).contains("\"ipv6\": \"" + ipv6 + "\"");
                if (!verdict.equals("udp-blocked")) {
                    assertThat(shown.json())
                            .contains("\"mapped\": [\n    \"" + net.facts().mapped4() + ":");
                }
                assertThat(shown.json())
                        .contains("\"tcp_seen\": \"" + net.facts().mapped4() + ":");
            }
        }
    }

    @Test
    void aSpoofedFloodOfBareRequestsIsNeverAnsweredWhileABrowserThatLoadedThePageGetsItsCandidates() throws Exception {
        Lab lab = assumeLab();
        assumeTool(HeadlessChromium.BINARY);
        Path stunJar = assumeArtifact(ProjectServers.STUN_JAR);
        try (LabNetwork net = lab.up(Topology.CPE)) {
            LabProcess stun = startServer(net, stunJar);
            String browserAddress = net.facts().mapped4();
            // The attacker sits on the stand-in Internet and forges source addresses: one nobody
            // has, and the public address of the browser (the cpe router's).
            forge(net, FORGED_PORT, FORGED_SOURCE);
            forge(net, FORGED_BROWSER_PORT, browserAddress);

            assertThat(flood(net, FORGED_PORT))
                    .as("answers drawn by a forged source")
                    .isZero();
            assertThat(flood(net, FORGED_BROWSER_PORT))
                    .as("answers drawn by forging the browser's address before it loaded the page")
                    .isZero();
            Counts beforePage = awaitReceived(net, stun, 2 * FLOOD);
            assertThat(beforePage.answered()).isZero();

            try (HeadlessChromium browser = startBrowser(net, List.of())) {
                // A phone's screen: the page must read there too.
                browser.open(412, 915, true);
                Shown shown = check(net, browser);
                browser.screenshot(SCREENSHOTS.resolve("cpe-phone.png"));
                record(Topology.CPE, List.of("phone"), shown);
                assertThat(shown.verdict()).as(shown.json()).isEqualTo("endpoint-independent");
                assertThat(shown.json()).contains("\"mapped\": [\n    \"" + browserAddress + ":");
                assertThat(counts(net, stun).answered())
                        .as("answers to the browser's bare requests")
                        .isPositive();

                // Forging the browser's address now, while its window is open (10 s from the
                // page's fetch), draws a bounded number of answers (64 per fetch; the page
                // fetched twice), never one per request.
                assertThat(flood(net, FORGED_BROWSER_PORT)).isBetween(1, 2 * 64);
            }
            // Still nothing for the address that never fetched the page.
            assertThat(flood(net, FORGED_PORT)).isZero();
        }
    }

    /** SNATs UDP from {@code localPort} of the inet namespace to {@code source}. */
    private static void forge(LabNetwork net, int localPort, String source) {
        ExecResult rule = net.exec(
                Role.INET,
                Duration.ofSeconds(10),
                "iptables",
                "-t",
                "nat",
                "-A",
                "POSTROUTING",
                "-p",
                "udp",
                "--sport",
                Integer.toString(localPort),
                "-j",
                "SNAT",
                "--to-source",
                source + ":" + localPort);
        assertThat(rule.succeeded()).as(rule.describe()).isTrue();
    }

    /** Sends {@link #FLOOD} bare requests from {@code localPort} in inet; the answers that came back. */
    private static int flood(LabNetwork net, int localPort) {
        ExecResult flood = net.exec(
                Role.INET,
                Duration.ofSeconds(60),
                BareFlood.command(localPort, net.facts().server4(), ProjectServers.STUN_PORT, FLOOD));
        Matcher m = Pattern.compile("sent=" + FLOOD + " received=(\\d+)").matcher(flood.stdout());
        assertThat(m.find()).as(flood.describe()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static LabProcess startServer(LabNetwork net, Path stunJar) {
        LabFacts f = net.facts();
        LabProcess stun = ProjectServers.startStun(
                net,
                stunJar,
                List.of(
                        "--web",
                        f.server4() + ":" + WEB_PORT,
                        "--web",
                        "[" + f.server6() + "]:" + WEB_PORT,
                        "--metrics",
                        "127.0.0.1:" + METRICS_PORT));
        // Both web sockets: the page's IPv6 check fails fast ("refused") if it runs before the
        // second one listens, which a loaded machine allows.
        net.awaitListening(stun, Role.SRV, LabNetwork.Protocol.TCP, f.server4(), WEB_PORT, Duration.ofSeconds(30));
        net.awaitListening(stun, Role.SRV, LabNetwork.Protocol.TCP, f.server6(), WEB_PORT, Duration.ofSeconds(30));
        // The metrics endpoint started before the page (ss shows it as ::ffff:127.0.0.1).
        return stun;
    }

    private static HeadlessChromium startBrowser(LabNetwork net, List<String> flags) {
        return HeadlessChromium.start(
                net,
                Role.CLI,
                net.logDir().resolve("chromium-profile"),
                net.logDir().resolve("chromium.err"),
                flags);
    }

    /** Opens the page and waits for its verdict. */
    private static Shown check(LabNetwork net, HeadlessChromium browser) throws InterruptedException {
        String url = "http://" + net.facts().server4() + ":" + WEB_PORT + "/";
        // From a blank page, so the wait below cannot see the previous run's verdict.
        browser.navigate("about:blank");
        assertThat(browser.await("document.URL === 'about:blank'", VERDICT_LIMIT))
                .isTrue();
        long start = System.nanoTime();
        browser.navigate(url);
        boolean done = browser.await(
                "document.readyState !== 'loading' && ['done','error'].includes(document.body.dataset.state)",
                VERDICT_LIMIT);
        long wall = (System.nanoTime() - start) / 1_000_000;
        assertThat(done)
                .as("the page showed no verdict within %s; chromium log:%n%s", VERDICT_LIMIT, browser.tail())
                .isTrue();
        return new Shown(
                (String) browser.evaluate("document.getElementById('verdict').dataset.verdict"),
                (String) browser.evaluate("document.getElementById('headline').textContent"),
                Long.parseLong((String) browser.evaluate("document.body.dataset.verdictMs ?? '-1'")),
                wall,
                (String) browser.evaluate("document.getElementById('json').textContent"));
    }

    private static synchronized void record(Topology topology, List<String> flags, Shown shown) throws IOException {
        Files.createDirectories(TIMINGS.getParent());
        if (!Files.exists(TIMINGS)) {
            Files.writeString(
                    TIMINGS, "topology\tflags\tverdict\tverdict_ms_after_navigation\twall_ms\tpage_steps_ms\n");
        }
        Files.writeString(
                TIMINGS,
                String.format(
                        Locale.ROOT,
                        "%s\t%s\t%s\t%d\t%d\t%s%n",
                        topology,
                        String.join(" ", flags),
                        shown.verdict(),
                        shown.verdictMillis(),
                        shown.wallMillis(),
                        steps(shown.json())),
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }

    /** The page's own step times ("timing_ms" of its JSON) on one line. */
    private static String steps(String json) {
        Object timing = ((java.util.Map<?, ?>) Json.parse(json)).get("timing_ms");
        return String.valueOf(timing).replace(" ", "");
    }

    /** The server's counters from its metrics endpoint, read inside the server namespace. */
    record Counts(long received, long answered, long droppedAmplification) {}

    private static final Pattern RECEIVED = Pattern.compile("(?m)^stun_received_datagrams_total (\\S+)$");
    private static final Pattern ANSWERED = Pattern.compile("(?m)^stun_responses_total\\{class=\"success\"} (\\S+)$");
    private static final Pattern AMPLIFICATION =
            Pattern.compile("(?m)^stun_dropped_datagrams_total\\{reason=\"amplification\"} (\\S+)$");

    private static Counts counts(LabNetwork net, LabProcess stun) {
        ExecResult metrics = net.exec(
                Role.SRV,
                Duration.ofSeconds(15),
                "bash",
                "-c",
                "exec 3<>/dev/tcp/127.0.0.1/" + METRICS_PORT
                        + " && printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3 && timeout 5 cat <&3");
        assertThat(metrics.succeeded()).as(metrics.describe() + stun.describe()).isTrue();
        return new Counts(
                value(RECEIVED, metrics.stdout()),
                value(ANSWERED, metrics.stdout()),
                value(AMPLIFICATION, metrics.stdout()));
    }

    private static long value(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in%n%s", pattern, text).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    /** Counters once the server has received {@code received} datagrams (they arrive meanwhile). */
    private static Counts awaitReceived(LabNetwork net, LabProcess stun, long received) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Counts counts = counts(net, stun);
        while (counts.received() < received && System.nanoTime() < deadline) {
            Thread.sleep(100);
            counts = counts(net, stun);
        }
        assertThat(counts.received()).as("datagrams the server received").isGreaterThanOrEqualTo(received);
        return counts;
    }
}
