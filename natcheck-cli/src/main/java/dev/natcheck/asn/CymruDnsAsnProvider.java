package dev.natcheck.asn;

import dev.natcheck.address.AddressText;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Team Cymru's IP-to-ASN DNS service: TXT {@code 4.3.2.1.origin.asn.cymru.com} answers
 * {@code "64500 | 1.2.3.0/24 | ZZ | arin | 2001-01-01"} (nibble-reversed under
 * {@code origin6.asn.cymru.com} for IPv6), and TXT {@code AS64500.asn.cymru.com} answers
 * {@code "64500 | ZZ | arin | 2001-01-01 | EXAMPLE-NET, ZZ"}.
 *
 * <p>Queries go to one resolver given explicitly ({@code --resolver}), so tests and labs point
 * it at a DNS server on loopback; without one, the system's first resolver is used.
 */
public final class CymruDnsAsnProvider implements AsnProvider {

    static final String ORIGIN_V4 = "origin.asn.cymru.com.";
    static final String ORIGIN_V6 = "origin6.asn.cymru.com.";
    static final String AS_NAMES = "asn.cymru.com.";

    private final SimpleResolver resolver;

    /** Asks the DNS server at {@code resolver}, waiting at most {@code timeout} per query. */
    public CymruDnsAsnProvider(InetSocketAddress resolver, Duration timeout) {
        this.resolver = new SimpleResolver(resolver);
        this.resolver.setTimeout(timeout);
    }

    /** Asks the system's configured resolver. */
    public static CymruDnsAsnProvider systemResolver(Duration timeout) throws AsnLookupException {
        try {
            SimpleResolver system = new SimpleResolver();
            return new CymruDnsAsnProvider(system.getAddress(), timeout);
        } catch (IOException e) {
            throw new AsnLookupException("no system DNS resolver configured: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<AsnRecord> lookup(InetAddress address) throws AsnLookupException {
        List<String> origins = txt(originName(address));
        Origin best = null;
        for (String text : origins) {
            Origin origin = Origin.parse(text);
            if (origin != null && (best == null || origin.prefixLength() > best.prefixLength())) {
                best = origin;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        String name = "";
        try {
            for (String text : txt("AS" + best.asn() + "." + AS_NAMES)) {
                String[] fields = text.split("\\|");
                if (fields.length >= 5) {
                    name = fields[4].strip();
                    break;
                }
            }
        } catch (AsnLookupException e) {
            // The origin AS is what classification needs; a missing name only makes output poorer.
            name = "";
        }
        return Optional.of(new AsnRecord(best.asn(), best.prefix(), best.country(), name));
    }

    @Override
    public String describe() {
        return "Team Cymru DNS via " + AddressText.format(resolver.getAddress());
    }

    /** The TXT owner name for {@code address}: reversed octets or nibbles under the origin zones. */
    static String originName(InetAddress address) {
        byte[] bytes = address.getAddress();
        StringBuilder name = new StringBuilder(80);
        if (address instanceof Inet4Address) {
            for (int i = bytes.length - 1; i >= 0; i--) {
                name.append(bytes[i] & 0xFF).append('.');
            }
            return name.append(ORIGIN_V4).toString();
        }
        for (int i = bytes.length - 1; i >= 0; i--) {
            name.append(Character.forDigit(bytes[i] & 0x0F, 16)).append('.');
            name.append(Character.forDigit((bytes[i] >> 4) & 0x0F, 16)).append('.');
        }
        return name.append(ORIGIN_V6).toString();
    }

    private List<String> txt(String owner) throws AsnLookupException {
        Message response;
        try {
            Record question = Record.newRecord(Name.fromString(owner), Type.TXT, DClass.IN);
            response = resolver.send(Message.newQuery(question));
        } catch (TextParseException e) {
            throw new AsnLookupException("bad DNS name " + owner, e);
        } catch (IOException e) {
            throw new AsnLookupException("no answer from " + describe() + " for " + owner + ": " + why(e), e);
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return List.of();
        }
        if (rcode != Rcode.NOERROR) {
            throw new AsnLookupException(describe() + " answered " + Rcode.string(rcode) + " for " + owner);
        }
        List<String> texts = new ArrayList<>();
        for (Record record : response.getSection(Section.ANSWER)) {
            if (record instanceof TXTRecord txt) {
                texts.add(String.join("", txt.getStrings()));
            }
        }
        return texts;
    }

    /** An I/O failure in words: some carry no message (an ICMP refusal), which used to print as "null". */
    private String why(IOException e) {
        if (e instanceof PortUnreachableException) {
            return "refused (ICMP port unreachable): no DNS server listens there";
        }
        if (e instanceof SocketTimeoutException && e.getMessage() == null) {
            return "no reply within " + resolver.getTimeout().toMillis() + " ms";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** One origin TXT answer: "ASN [ASN...] | prefix | country | registry | date". */
    private record Origin(long asn, String prefix, String country) {

        static Origin parse(String text) {
            String[] fields = text.split("\\|");
            if (fields.length < 3) {
                return null;
            }
            String[] asns = fields[0].strip().split("\\s+");
            try {
                long asn = Long.parseLong(asns[0]);
                if (asn < 0 || asn > AsnRecord.MAX_ASN) {
                    return null;
                }
                return new Origin(asn, fields[1].strip(), fields[2].strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }

        int prefixLength() {
            int slash = prefix.indexOf('/');
            try {
                return slash < 0 ? 0 : Integer.parseInt(prefix.substring(slash + 1));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }
}
