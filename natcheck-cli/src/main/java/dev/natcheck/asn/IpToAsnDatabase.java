package dev.natcheck.asn;

import dev.natcheck.address.AddressText;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * An iptoasn.com database in memory: lines of {@code range_start TAB range_end TAB AS_number TAB
 * country_code TAB AS_description}, ranges inclusive, IPv4 and IPv6 in one file or two, plain
 * or gzip (recognised by its magic bytes, whatever the file is called).
 *
 * <p>Lookups binary-search sorted 128-bit range starts. The "prefix" reported is the largest
 * CIDR block that holds the address and lies inside its range: iptoasn merges adjacent prefixes
 * of one AS into one range, which is rarely a single CIDR block itself.
 */
public final class IpToAsnDatabase implements AsnProvider {

    /** iptoasn marks unannounced space with AS 0 "Not routed". */
    private static final long NOT_ROUTED = 0;

    private final Path file;
    private final Table v4;
    private final Table v6;

    private IpToAsnDatabase(Path file, Table v4, Table v6) {
        this.file = file;
        this.v4 = v4;
        this.v6 = v6;
    }

    /**
     * Reads {@code file}.
     *
     * @throws AsnDatabaseException naming the file (and line) when it is missing, unreadable or malformed
     */
    public static IpToAsnDatabase load(Path file) throws AsnDatabaseException {
        TableBuilder v4 = new TableBuilder();
        TableBuilder v6 = new TableBuilder();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
                BufferedReader reader = new BufferedReader(new InputStreamReader(
                        maybeGunzip(raw),
                        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)))) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                parseLine(file, number, line, v4, v6);
            }
            if (number == 0) {
                throw new AsnDatabaseException(file, "empty file, expected iptoasn TSV lines", null);
            }
        } catch (NoSuchFileException e) {
            throw new AsnDatabaseException(file, "no such file", e);
        } catch (CharacterCodingException e) {
            throw new AsnDatabaseException(file, "not UTF-8 text (is it an iptoasn TSV file?)", e);
        } catch (IOException e) {
            throw new AsnDatabaseException(file, "cannot read: " + e.getMessage(), e);
        }
        return new IpToAsnDatabase(file, v4.build(file), v6.build(file));
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static void parseLine(Path file, long number, String line, TableBuilder v4, TableBuilder v6)
            throws AsnDatabaseException {
        String[] fields = line.split("\t", 5);
        if (fields.length < 5) {
            throw new AsnDatabaseException(
                    file,
                    number,
                    "expected 5 tab-separated fields (range_start, range_end, "
                            + "AS_number, country_code, AS_description), found " + fields.length);
        }
        InetAddress start = address(file, number, "range_start", fields[0]);
        InetAddress end = address(file, number, "range_end", fields[1]);
        if ((start instanceof Inet4Address) != (end instanceof Inet4Address)) {
            throw new AsnDatabaseException(
                    file,
                    number,
                    "range_start " + fields[0] + " and range_end " + fields[1] + " are of different address families");
        }
        long asn;
        try {
            asn = Long.parseLong(fields[2]);
        } catch (NumberFormatException e) {
            asn = -1;
        }
        if (asn < 0 || asn > AsnRecord.MAX_ASN || !fields[2].chars().allMatch(Character::isDigit)) {
            throw new AsnDatabaseException(
                    file, number, "AS_number '" + fields[2] + "' is not a number in 0.." + AsnRecord.MAX_ASN);
        }
        BigInteger from = new BigInteger(1, start.getAddress());
        BigInteger to = new BigInteger(1, end.getAddress());
        if (from.compareTo(to) > 0) {
            throw new AsnDatabaseException(
                    file, number, "range_start " + fields[0] + " is after range_end " + fields[1]);
        }
        (start instanceof Inet4Address ? v4 : v6).add(number, from, to, asn, fields[3], fields[4].strip());
    }

    private static InetAddress address(Path file, long number, String field, String text) throws AsnDatabaseException {
        return AddressText.parseAddress(text)
                .orElseThrow(
                        () -> new AsnDatabaseException(file, number, field + " '" + text + "' is not an IP address"));
    }

    @Override
    public Optional<AsnRecord> lookup(InetAddress address) {
        Table table = address instanceof Inet4Address ? v4 : v6;
        return table.find(new BigInteger(1, address.getAddress()), address instanceof Inet4Address ? 32 : 128)
                .filter(r -> r.asn() != NOT_ROUTED);
    }

    @Override
    public String describe() {
        return "iptoasn file " + file;
    }

    /** Number of ranges loaded, both families. */
    public int size() {
        return v4.size() + v6.size();
    }

    /** Collects ranges while reading; sorts and checks them once at the end. */
    private static final class TableBuilder {
        private final List<long[]> ranges = new ArrayList<>(); // startHi, startLo, endHi, endLo, asn, meta, line
        private final List<String[]> metas = new ArrayList<>();
        private final Map<String, Integer> metaIndex = new HashMap<>();

        void add(long line, BigInteger start, BigInteger end, long asn, String country, String name) {
            // Country and name repeat across thousands of ranges of one AS: store each pair once.
            String key = country + "\t" + name;
            Integer meta = metaIndex.get(key);
            if (meta == null) {
                meta = metas.size();
                metas.add(new String[] {country, name});
                metaIndex.put(key, meta);
            }
            ranges.add(new long[] {
                start.shiftRight(64).longValue(),
                start.longValue(),
                end.shiftRight(64).longValue(),
                end.longValue(),
                asn,
                meta,
                line
            });
        }

        Table build(Path file) throws AsnDatabaseException {
            ranges.sort((a, b) -> compare(a[0], a[1], b[0], b[1]));
            int n = ranges.size();
            long[] startHi = new long[n];
            long[] startLo = new long[n];
            long[] endHi = new long[n];
            long[] endLo = new long[n];
            long[] asns = new long[n];
            int[] meta = new int[n];
            for (int i = 0; i < n; i++) {
                long[] r = ranges.get(i);
                if (i > 0 && compare(r[0], r[1], endHi[i - 1], endLo[i - 1]) <= 0) {
                    throw new AsnDatabaseException(
                            file, r[6], "range overlaps the range on line " + ranges.get(i - 1)[6]);
                }
                startHi[i] = r[0];
                startLo[i] = r[1];
                endHi[i] = r[2];
                endLo[i] = r[3];
                asns[i] = r[4];
                meta[i] = (int) r[5];
            }
            return new Table(startHi, startLo, endHi, endLo, asns, meta, metas.toArray(String[][]::new));
        }
    }

    private static int compare(long hiA, long loA, long hiB, long loB) {
        int high = Long.compareUnsigned(hiA, hiB);
        return high != 0 ? high : Long.compareUnsigned(loA, loB);
    }

    /** Sorted, non-overlapping ranges of one family. */
    private record Table(
            long[] startHi, long[] startLo, long[] endHi, long[] endLo, long[] asns, int[] meta, String[][] metas) {

        int size() {
            return asns.length;
        }

        Optional<AsnRecord> find(BigInteger ip, int bits) {
            long hi = ip.shiftRight(64).longValue();
            long lo = ip.longValue();
            int low = 0;
            int high = asns.length - 1;
            int found = -1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                if (compare(startHi[mid], startLo[mid], hi, lo) <= 0) {
                    found = mid;
                    low = mid + 1;
                } else {
                    high = mid - 1;
                }
            }
            if (found < 0 || compare(hi, lo, endHi[found], endLo[found]) > 0) {
                return Optional.empty();
            }
            BigInteger start = join(startHi[found], startLo[found]);
            BigInteger end = join(endHi[found], endLo[found]);
            String[] m = metas[meta[found]];
            return Optional.of(new AsnRecord(asns[found], prefix(ip, start, end, bits), m[0], m[1]));
        }

        private static BigInteger join(long hi, long lo) {
            return new BigInteger(Long.toUnsignedString(hi))
                    .shiftLeft(64)
                    .or(new BigInteger(Long.toUnsignedString(lo)));
        }

        /** The largest CIDR block around {@code ip} that fits inside [start, end]. */
        private static String prefix(BigInteger ip, BigInteger start, BigInteger end, int bits) {
            for (int length = 0; length <= bits; length++) {
                BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - length).subtract(BigInteger.ONE);
                BigInteger network = ip.andNot(hostMask);
                if (network.compareTo(start) >= 0 && network.or(hostMask).compareTo(end) <= 0) {
                    return AddressText.format(toAddress(network, bits)) + "/" + length;
                }
            }
            throw new IllegalStateException("the /" + bits + " of an address inside its range always fits");
        }

        private static InetAddress toAddress(BigInteger value, int bits) {
            byte[] raw = value.toByteArray();
            byte[] bytes = new byte[bits / 8];
            int copy = Math.min(raw.length, bytes.length);
            System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
            try {
                return InetAddress.getByAddress(bytes);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("4 or 16 bytes are always an address", e);
            }
        }
    }

    @Override
    public String toString() {
        return describe() + " (" + size() + " ranges)";
    }
}
