package dev.natcheck.cli;

import dev.natcheck.address.AddressText;
import dev.natcheck.asn.AsnLookupException;
import dev.natcheck.asn.AsnProvider;
import dev.natcheck.asn.AsnRecord;
import dev.natcheck.classify.UntrustedText;
import dev.natcheck.command.ManifestVersion;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code natcheck asn IP...}: AS number, prefix and name of each address, one tab-separated line each. */
@Command(
        name = "asn",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = {
            "Look up the AS number, prefix and name of addresses.",
            "Prints IP<TAB>ASN<TAB>prefix<TAB>name per address on stdout; unknown addresses are reported on stderr."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  natcheck asn --asn-db ip2asn-combined.tsv.gz 198.51.100.7 2001:db8::1",
            "  natcheck asn --asn-dns --resolver 127.0.0.1:5353 198.51.100.7"
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:every address found",
            "1:some address unknown, or its lookup failed",
            "2:usage error",
            "3:internal error"
        })
public final class AsnCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AsnOptions asn;

    // "natcheck --asn-db FILE asn IP" puts the option on the parent: honour it there too.
    @ParentCommand
    Natcheck parent;

    @Parameters(paramLabel = "IP", arity = "1..*", description = "IPv4 or IPv6 addresses (literals, not names).")
    List<String> addresses;

    @Override
    public Integer call() {
        List<InetAddress> parsed = new ArrayList<>();
        for (String text : addresses) {
            parsed.add(AddressText.parseAddress(text.strip())
                    .orElseThrow(
                            () -> new ParameterException(spec.commandLine(), "'" + text + "' is not an IP address")));
        }
        Optional<AsnProvider> provider = asn.configured() || parent == null ? asn.provider() : parent.asn.provider();
        if (provider.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "no ASN source: give --asn-db FILE (an iptoasn.com TSV, "
                            + "plain or .gz, from https://iptoasn.com/) or --asn-dns");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int status = 0;
        for (InetAddress address : parsed) {
            String ip = AddressText.format(address);
            try {
                Optional<AsnRecord> found = provider.get().lookup(address);
                if (found.isPresent()) {
                    AsnRecord r = found.get();
                    // Prefix and name come from a DNS server or a downloaded file: escaped, tabs included.
                    out.println(ip + "\t" + r.asn() + "\t" + UntrustedText.escape(r.prefix()) + "\t"
                            + UntrustedText.escape(r.name()));
                } else {
                    err.println(UntrustedText.printable("natcheck asn: " + ip + ": not announced / unknown to "
                            + provider.get().describe()));
                    status = 1;
                }
            } catch (AsnLookupException e) {
                err.println(UntrustedText.printable("natcheck asn: " + ip + ": lookup failed: " + e.getMessage()));
                status = 1;
            }
        }
        out.flush();
        err.flush();
        return status;
    }
}
