package dev.natcheck.asn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.natcheck.address.AddressText;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Rcode;

/** Team Cymru lookups over real DNS on loopback: an in-test responder, and dnsmasq when installed. */
class CymruDnsAsnProviderTest {

    private static final Map<String, List<String>> ZONE = Map.of(
            "7.100.51.198.origin.asn.cymru.com.",
            List.of("64500 | 198.51.100.0/24 | ZZ | arin | 2001-01-01"),
            // Two announcements: the more specific prefix is the answer.
            "10.113.0.203.origin.asn.cymru.com.",
            List.of(
                    "64496 | 203.0.113.0/24 | ZZ | ripencc | 2002-02-02",
                    "64497 64498 | 203.0.113.0/25 | ZZ | ripencc | 2003-03-03"),
            "7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.origin6.asn.cymru.com.",
            List.of("64501 | 2001:db8::/32 | ZZ | ripencc | 2004-04-04"),
            "as64500.asn.cymru.com.",
            List.of("64500 | ZZ | arin | 2001-01-01 | EXAMPLE-CARRIER, ZZ"),
            "as64497.asn.cymru.com.",
            List.of("64497 | ZZ | ripencc | 2003-03-03 | EXAMPLE-HOME"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "198.51.100.7, 7.100.51.198.origin.asn.cymru.com.",
        "2001:db8::7, 7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.origin6.asn.cymru.com.",
    })
    void buildsTheOriginName(String ip, String name) {
        assertThat(CymruDnsAsnProvider.originName(AddressText.parseAddress(ip).orElseThrow()))
                .isEqualTo(name);
    }

    @ParameterizedTest(name = "{0} -> AS{1} {2} {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "198.51.100.7 | 64500 | 198.51.100.0/24 | EXAMPLE-CARRIER, ZZ",
                "203.0.113.10 | 64497 | 203.0.113.0/25 | EXAMPLE-HOME",
                "2001:db8::7 | 64501 | 2001:db8::/32 | ''",
            })
    void looksUpOriginAndName(String ip, long asn, String prefix, String name) throws Exception {
        try (FakeDnsServer dns = new FakeDnsServer(ZONE, -1)) {
            CymruDnsAsnProvider provider = new CymruDnsAsnProvider(dns.address(), Duration.ofSeconds(2));

            assertThat(provider.lookup(ip(ip))).contains(new AsnRecord(asn, prefix, "ZZ", name));
        }
    }

    @Test
    void nxdomainMeansUnknown() throws Exception {
        try (FakeDnsServer dns = new FakeDnsServer(ZONE, -1)) {
            assertThat(new CymruDnsAsnProvider(dns.address(), Duration.ofSeconds(2)).lookup(ip("192.0.2.99")))
                    .isEmpty();
            assertThat(dns.questions).containsExactly("99.2.0.192.origin.asn.cymru.com.");
        }
    }

    @Test
    void aFailingServerIsAnErrorNotAnUnknown() throws Exception {
        try (FakeDnsServer dns = new FakeDnsServer(ZONE, Rcode.SERVFAIL)) {
            CymruDnsAsnProvider provider = new CymruDnsAsnProvider(dns.address(), Duration.ofSeconds(2));

            assertThatThrownBy(() -> provider.lookup(ip("198.51.100.7")))
                    .isInstanceOf(AsnLookupException.class)
                    .hasMessageContaining("SERVFAIL")
                    .hasMessageContaining(AddressText.format(dns.address()));
        }
    }

    @Test
    void aSilentResolverTimesOut() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            CymruDnsAsnProvider provider =
                    new CymruDnsAsnProvider((InetSocketAddress) silent.getLocalSocketAddress(), Duration.ofMillis(300));

            assertThatThrownBy(() -> provider.lookup(ip("198.51.100.7")))
                    .isInstanceOf(AsnLookupException.class)
                    .hasMessageContaining("no answer from Team Cymru DNS via 127.0.0.1:")
                    .message()
                    .doesNotEndWith("null");
        }
    }

    @Test
    void aResolverPortWhereNothingListensIsSaidToRefuseNotNull() throws Exception {
        int closed;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            closed = socket.getLocalPort();
        }
        CymruDnsAsnProvider provider = new CymruDnsAsnProvider(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), closed), Duration.ofSeconds(2));

        assertThatThrownBy(() -> provider.lookup(ip("198.51.100.7")))
                .isInstanceOf(AsnLookupException.class)
                .hasMessageEndingWith(": refused (ICMP port unreachable): no DNS server listens there");
    }

    @Test
    void worksAgainstDnsmasqServingTxtRecords() throws Exception {
        Path dnsmasq = Path.of("/usr/sbin/dnsmasq");
        assumeThat(Files.isExecutable(dnsmasq)).as("dnsmasq installed").isTrue();
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = probe.getLocalPort();
        }
        Process process = new ProcessBuilder(
                        dnsmasq.toString(),
                        "--keep-in-foreground",
                        "--conf-file=/dev/null",
                        "--port=" + port,
                        "--listen-address=127.0.0.1",
                        "--bind-interfaces",
                        "--no-resolv",
                        "--no-hosts",
                        "--pid-file=",
                        "--user=root",
                        "--local=/cymru.com/",
                        "--log-facility=-",
                        "--txt-record=7.100.51.198.origin.asn.cymru.com,64500 | 198.51.100.0/24 | ZZ | arin | 2001-01-01",
                        "--txt-record=AS64500.asn.cymru.com,64500 | ZZ | arin | 2001-01-01 | EXAMPLE-CARRIER")
                .redirectErrorStream(true)
                .start();
        try {
            // dnsmasq logs "started" once its sockets are bound: wait for that line, not a fixed time.
            var output = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()));
            String line;
            while ((line = output.readLine()) != null && !line.contains("started")) {
                // skip the other start-up lines
            }
            assertThat(line).as("dnsmasq start-up line").isNotNull();
            // Keep reading dnsmasq's log so it never blocks on a full pipe; the stream closes
            // under this thread when the test stops dnsmasq, which is the expected end.
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    output.transferTo(java.io.Writer.nullWriter());
                } catch (java.io.IOException closed) {
                    // dnsmasq stopped
                }
            });
            CymruDnsAsnProvider provider =
                    new CymruDnsAsnProvider(new InetSocketAddress(ip("127.0.0.1"), port), Duration.ofSeconds(2));
            AsnRecord found = provider.lookup(ip("198.51.100.7")).orElse(null);
            assertThat(found).isEqualTo(new AsnRecord(64500, "198.51.100.0/24", "ZZ", "EXAMPLE-CARRIER"));
            assertThat(provider.lookup(ip("198.51.100.8"))).isEmpty();
        } finally {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static InetAddress ip(String literal) {
        return AddressText.parseAddress(literal).orElseThrow();
    }

    @Test
    void aHostileAsNameComesBackWithoutControlCharacters() throws Exception {
        Map<String, List<String>> zone = Map.of(
                "7.100.51.198.origin.asn.cymru.com.",
                List.of("64500 | 198.51.100.0/24 | ZZ | arin | 2001-01-01"),
                "as64500.asn.cymru.com.",
                List.of("64500 | ZZ | arin | 2001-01-01 | EVIL\u001b[2J\u0007\tNAME"));
        try (FakeDnsServer dns = new FakeDnsServer(zone, -1)) {
            AsnRecord record = new CymruDnsAsnProvider(dns.address(), Duration.ofSeconds(2))
                    .lookup(ip("198.51.100.7"))
                    .orElseThrow();

            assertThat(record.name()).startsWith("EVIL").doesNotContain("\u001b", "\u0007", "\t");
        }
    }
}
