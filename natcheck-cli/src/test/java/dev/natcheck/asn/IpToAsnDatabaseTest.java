package dev.natcheck.asn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.natcheck.address.AddressText;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpToAsnDatabaseTest {

    /** iptoasn format, IPv4 and IPv6 in one file (as ip2asn-combined.tsv), deliberately out of order. */
    static final String COMBINED = """
            1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET
            1.0.1.0\t1.0.3.255\t0\tNone\tNot routed
            198.51.100.0\t198.51.100.255\t64500\tZZ\tEXAMPLE-CARRIER
            203.0.113.0\t203.0.113.127\t64496\tZZ\tEXAMPLE-HOME ISP, ZZ
            203.0.113.128\t203.0.113.255\t64497\tZZ\t
            2001:db8::\t2001:db8:0:ffff:ffff:ffff:ffff:ffff\t64501\tZZ\tEXAMPLE-V6
            2001:db8:1::\t2001:db8:1:2:ffff:ffff:ffff:ffff\t64502\tZZ\tEXAMPLE-ODD-RANGE
            10.0.0.0\t10.0.0.5\t64510\tZZ\tTINY
            """;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} -> AS{1} {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1.0.0.1 | 13335 | 1.0.0.0/24 | CLOUDFLARENET",
                "198.51.100.7 | 64500 | 198.51.100.0/24 | EXAMPLE-CARRIER",
                "203.0.113.10 | 64496 | 203.0.113.0/25 | EXAMPLE-HOME ISP, ZZ",
                "203.0.113.200 | 64497 | 203.0.113.128/25 | ''",
                "2001:db8::7 | 64501 | 2001:db8::/48 | EXAMPLE-V6",
                "2001:db8:1:1::9 | 64502 | 2001:db8:1::/63 | EXAMPLE-ODD-RANGE",
                "2001:db8:1:2::9 | 64502 | 2001:db8:1:2::/64 | EXAMPLE-ODD-RANGE",
                "10.0.0.5 | 64510 | 10.0.0.4/31 | TINY",
                "10.0.0.0 | 64510 | 10.0.0.0/30 | TINY",
            })
    void findsTheRangeAndTheLargestPrefixInsideIt(String ip, long asn, String prefix, String name) throws Exception {
        for (Path file : new Path[] {plain(COMBINED), gzip(COMBINED)}) {
            Optional<AsnRecord> found = IpToAsnDatabase.load(file)
                    .lookup(AddressText.parseAddress(ip).orElseThrow());

            assertThat(found)
                    .as(file.toString())
                    .contains(new AsnRecord(asn, prefix, "ZZ".equals(country(asn)) ? "ZZ" : "US", name));
        }
    }

    @ParameterizedTest(name = "{0} is unknown")
    @ValueSource(strings = {"1.0.2.3", "9.9.9.9", "0.0.0.1", "255.255.255.255", "10.0.0.6", "2001:db8:2::1", "::1"})
    void addressesOutsideAnyRoutedRangeAreUnknown(String ip) throws Exception {
        assertThat(IpToAsnDatabase.load(plain(COMBINED))
                        .lookup(AddressText.parseAddress(ip).orElseThrow()))
                .isEmpty();
    }

    @ParameterizedTest(name = "line \"{0}\" -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1.0.0.0\t1.0.0.255\t13335\tUS | :2: expected 5 tab-separated fields",
                "1.0.0.0 1.0.0.255 13335 US CLOUDFLARENET | :2: expected 5 tab-separated fields",
                "1.0.0\t1.0.0.255\t13335\tUS\tX | :2: range_start '1.0.0' is not an IP address",
                "1.0.0.0\tnope\t13335\tUS\tX | :2: range_end 'nope' is not an IP address",
                "1.0.0.0\t2001:db8::1\t13335\tUS\tX | :2: range_start 1.0.0.0 and range_end 2001:db8::1 are of different address families",
                "1.0.0.255\t1.0.0.0\t13335\tUS\tX | :2: range_start 1.0.0.255 is after range_end 1.0.0.0",
                "1.0.0.0\t1.0.0.255\tAS13335\tUS\tX | :2: AS_number 'AS13335' is not a number",
                "1.0.0.0\t1.0.0.255\t4294967296\tUS\tX | :2: AS_number '4294967296' is not a number",
                "1.0.0.0\t1.0.0.255\t-1\tUS\tX | :2: AS_number '-1' is not a number",
                "9.0.0.0\t9.0.0.255\t1\tUS\tX | :2: range overlaps the range on line 1",
            })
    void malformedLinesAreReportedWithFileAndLine(String line, String message) throws Exception {
        String text = "9.0.0.0\t9.0.0.255\t1\tUS\tFIRST\n" + line.replace("\\t", "\t") + "\n";
        Path file = plain(text);

        assertThatThrownBy(() -> IpToAsnDatabase.load(file))
                .isInstanceOf(AsnDatabaseException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining(message);
    }

    @org.junit.jupiter.api.Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.tsv");

        assertThatThrownBy(() -> IpToAsnDatabase.load(missing))
                .isInstanceOf(AsnDatabaseException.class)
                .hasMessage(missing + ": no such file");
    }

    @org.junit.jupiter.api.Test
    void aBinaryFileIsNamed() throws IOException {
        Path binary = dir.resolve("binary.tsv");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0xc3, '\n'});

        assertThatThrownBy(() -> IpToAsnDatabase.load(binary))
                .isInstanceOf(AsnDatabaseException.class)
                .hasMessageStartingWith(binary.toString());
    }

    @org.junit.jupiter.api.Test
    void aTruncatedGzipIsNamed() throws IOException {
        byte[] whole = Files.readAllBytes(gzip(COMBINED));
        Path truncated = dir.resolve("truncated.tsv.gz");
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> IpToAsnDatabase.load(truncated))
                .isInstanceOf(AsnDatabaseException.class)
                .hasMessageStartingWith(truncated + ": cannot read");
    }

    private static String country(long asn) {
        return asn == 13335 ? "US" : "ZZ";
    }

    private Path plain(String text) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "ip2asn", ".tsv"), text);
    }

    private Path gzip(String text) throws IOException {
        Path file = Files.createTempFile(dir, "ip2asn", ".tsv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }
}
