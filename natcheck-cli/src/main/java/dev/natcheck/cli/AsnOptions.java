package dev.natcheck.cli;

import dev.natcheck.asn.AsnDatabaseException;
import dev.natcheck.asn.AsnLookupException;
import dev.natcheck.asn.AsnProvider;
import dev.natcheck.asn.CymruDnsAsnProvider;
import dev.natcheck.asn.IpToAsnDatabase;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where AS numbers come from: {@code --asn-db FILE} or {@code --asn-dns [--resolver ADDR]}; shared by the check and {@code asn}. */
final class AsnOptions {

    private static final Duration DNS_TIMEOUT = Duration.ofSeconds(2);

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--asn-db",
            paramLabel = "FILE",
            description = "iptoasn.com database (ip2asn-v4.tsv, ip2asn-combined.tsv.gz, plain or gzip) for AS numbers."
                    + "%n  e.g. --asn-db ~/ip2asn-combined.tsv.gz")
    Path database;

    @Option(
            names = "--asn-dns",
            description = "Look AS numbers up with Team Cymru's DNS service (origin.asn.cymru.com TXT records).")
    boolean dns;

    @Option(
            names = "--resolver",
            paramLabel = "IP[:PORT]",
            converter = Converters.ResolverConverter.class,
            description = "DNS server for --asn-dns (default: the system's first nameserver); implies --asn-dns."
                    + "%n  e.g. --resolver 127.0.0.1:5353")
    InetSocketAddress resolver;

    boolean configured() {
        return database != null || dns || resolver != null;
    }

    /**
     * The configured provider, or empty when none was asked for.
     *
     * @throws ParameterException (exit 2) for a missing or malformed database, naming file and line
     */
    Optional<AsnProvider> provider() {
        if (database != null && (dns || resolver != null)) {
            throw new ParameterException(spec.commandLine(), "--asn-db and --asn-dns/--resolver exclude each other");
        }
        if (database != null) {
            try {
                return Optional.of(IpToAsnDatabase.load(database));
            } catch (AsnDatabaseException e) {
                throw new ParameterException(spec.commandLine(), "ASN database " + e.getMessage());
            }
        }
        if (resolver != null) {
            return Optional.of(new CymruDnsAsnProvider(resolver, DNS_TIMEOUT));
        }
        if (dns) {
            try {
                return Optional.of(CymruDnsAsnProvider.systemResolver(DNS_TIMEOUT));
            } catch (AsnLookupException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage() + "; give --resolver IP");
            }
        }
        return Optional.empty();
    }
}
