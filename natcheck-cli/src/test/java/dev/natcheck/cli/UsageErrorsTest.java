package dev.natcheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natcheck.probe.InterfaceInfo;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input of every kind: exit 2, one line on stderr naming the problem, nothing on stdout. */
class UsageErrorsTest {

    /** Nothing here may reach a network: no servers, a resolver that knows no name, one fake interface. */
    static final Environment OFFLINE = new Environment(
            List.of(),
            host -> {
                throw new UnknownHostException(host);
            },
            () -> List.of(new InterfaceInfo("lo", true, true, List.of(InetAddress.getLoopbackAddress()))));

    @TempDir
    static Path dir;

    static Stream<Arguments> badInput() throws Exception {
        Path malformed = Files.writeString(dir.resolve("bad.tsv"), "1.0.0.0\t1.0.0.255\t13335\tUS\tX\nnot a line\n");
        return Stream.of(
                Arguments.of(new String[] {"--frob"}, "Unknown option: '--frob'"),
                Arguments.of(new String[] {"extra"}, "Unmatched argument"),
                Arguments.of(new String[] {"--timeout", "abc"}, "'abc' is not a duration"),
                Arguments.of(new String[] {"--timeout", "5"}, "'5' is not a duration"),
                Arguments.of(new String[] {"--timeout", "0s"}, "the duration must be positive"),
                Arguments.of(new String[] {"--timeout", "-1s"}, "is not a duration"),
                // One syntax for every duration flag: 2h reads as a duration, and is too long for a check.
                Arguments.of(new String[] {"--timeout", "2h"}, "at most 10m"),
                Arguments.of(new String[] {"--timeout", "11m"}, "at most 10m"),
                Arguments.of(new String[] {"--tcp-port", "0"}, "'0' is not a port number"),
                Arguments.of(new String[] {"--tcp-port", "65536"}, "'65536' is not a port number"),
                Arguments.of(new String[] {"-s", "bad host"}, "is neither an IP address nor a host name"),
                Arguments.of(new String[] {"-s", "stun.example.org:0"}, "port '0' is not a number in 1..65535"),
                Arguments.of(new String[] {"-s", "[2001:db8::1"}, "missing ']'"),
                Arguments.of(new String[] {"-s", "300.1.2.3"}, "neither an IP address nor a host name"),
                Arguments.of(
                        new String[] {"-o", "xml"},
                        "'xml' is not an output format (one of text, json, brief, prometheus)"),
                Arguments.of(new String[] {"-4", "-6"}, "-4 and -6 exclude each other"),
                Arguments.of(new String[] {"--cpe-asn", "ASX"}, "'ASX' is not an AS number"),
                Arguments.of(new String[] {"--cpe-asn", "4294967296"}, "above the largest AS number"),
                Arguments.of(new String[] {"--cpe-asn", "64500"}, "--cpe-asn needs an ASN source"),
                Arguments.of(new String[] {"-i", "nosuch0"}, "no interface named 'nosuch0' (have: lo)"),
                Arguments.of(
                        new String[] {"--asn-db", dir.resolve("missing.tsv").toString()},
                        dir.resolve("missing.tsv") + ": no such file"),
                Arguments.of(
                        new String[] {"--asn-db", malformed.toString()}, malformed + ":2: expected 5 tab-separated"),
                Arguments.of(new String[] {"--asn-db", malformed.toString(), "--asn-dns"}, "exclude each other"),
                Arguments.of(new String[] {"--resolver", "dns.example.org"}, "a resolver cannot be a name"),
                Arguments.of(new String[] {"--local", "-s", "127.0.0.1"}, "--local brings its own servers"),
                Arguments.of(new String[] {"--prometheus-file", "/nonexistent-dir/x.prom"}, "does not exist"),
                Arguments.of(new String[] {"--every", "0s", "-s", "127.0.0.1"}, "'0s': at least 1s"),
                Arguments.of(new String[] {"--every", "500ms", "-s", "127.0.0.1"}, "'500ms': at least 1s"),
                Arguments.of(new String[] {"--every", "2d", "-s", "127.0.0.1"}, "'2d' is not a duration"),
                Arguments.of(
                        new String[] {"--every", "25h", "-s", "127.0.0.1"},
                        "'25h': at most 24h (for rarer checks use a timer or cron)"),
                Arguments.of(
                        new String[] {"--every", "3s", "-s", "127.0.0.1"},
                        "--every 3s is shorter than one run (--timeout 5s): give a longer --every or a shorter"),
                Arguments.of(
                        new String[] {"--every", "4m", "--lifetime", "4m", "-s", "127.0.0.1"},
                        "--every 4m is shorter than one run (--timeout 5s plus --lifetime 4m)"),
                Arguments.of(
                        new String[] {"--every", "1500ms", "--timeout", "1500ms", "--behavior"},
                        "--every 1500ms against the built-in public STUN servers: at least 1m"),
                Arguments.of(
                        new String[] {"--every", "1m", "-s", "127.0.0.1", "--prometheus-file", "/nonexistent-dir/x"},
                        "does not exist"),
                Arguments.of(
                        new String[] {"--every", "5s", "-s", "127.0.0.1", "-i", "nosuch0"},
                        "no interface named 'nosuch0' (have: lo)"),
                Arguments.of(new String[] {"-v", "-q"}, "-q and -v exclude each other"),
                Arguments.of(new String[] {"-q", "-vv"}, "-q and -v exclude each other"),
                Arguments.of(new String[] {"asn"}, "Missing required parameter: 'IP'"),
                Arguments.of(new String[] {"asn", "not-an-ip"}, "'not-an-ip' is not an IP address"),
                Arguments.of(new String[] {"asn", "192.0.2.1"}, "no ASN source: give --asn-db FILE"),
                Arguments.of(new String[] {"asn", "--asn-db", malformed.toString(), "192.0.2.1"}, malformed + ":2:"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("badInput")
    void exitsTwoWithAOneLineReason(String[] args, String reason) {
        Run run = Run.of(OFFLINE, args);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines())
                .singleElement()
                .asString()
                .startsWith("natcheck")
                .contains(reason)
                .endsWith("--help')");
    }
}
