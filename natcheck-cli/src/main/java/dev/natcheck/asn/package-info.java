/**
 * Who announces an address: the {@link dev.natcheck.asn.AsnProvider} interface, an iptoasn TSV
 * file ({@link dev.natcheck.asn.IpToAsnDatabase}, {@code --asn-db}) and Team Cymru's DNS service
 * ({@link dev.natcheck.asn.CymruDnsAsnProvider}, {@code --asn-dns}). The classifier uses the
 * origin AS of the outside address for the CPE allow-list rule; {@code natcheck asn} prints it.
 */
package dev.natcheck.asn;
