package dev.natcheck.asn;

import java.util.Objects;

/** What an {@link AsnProvider} knows about one address: origin AS, covering prefix, country, AS name. */
public record AsnRecord(long asn, String prefix, String country, String name) {

    /** Largest valid AS number (32-bit, RFC 6793). */
    public static final long MAX_ASN = 0xFFFF_FFFFL;

    public AsnRecord {
        if (asn < 0 || asn > MAX_ASN) {
            throw new IllegalArgumentException("AS number out of range: " + asn);
        }
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(country, "country");
        Objects.requireNonNull(name, "name");
    }

    /** "AS64500 (EXAMPLE-NET)", the form evidence strings use. */
    public String label() {
        return name.isEmpty() ? "AS" + asn : "AS" + asn + " (" + name + ")";
    }
}
