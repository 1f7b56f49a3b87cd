package dev.natcheck.asn;

import java.net.InetAddress;
import java.util.Optional;

/** Looks up the origin AS of an address. */
public interface AsnProvider {

    /**
     * The AS announcing {@code address}; empty when the source knows nothing about it (not
     * announced, not in the file).
     *
     * @throws AsnLookupException when the source could not be asked (DNS timeout, server failure)
     */
    Optional<AsnRecord> lookup(InetAddress address) throws AsnLookupException;

    /** Where answers come from, for messages: "iptoasn file ip2asn-v4.tsv.gz", "Team Cymru DNS via 127.0.0.1:53". */
    String describe();
}
