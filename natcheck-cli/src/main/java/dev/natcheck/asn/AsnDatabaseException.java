package dev.natcheck.asn;

import java.nio.file.Path;

/** An ASN database file that cannot be read or is malformed; the message names the file and, when known, the line. */
public final class AsnDatabaseException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A problem with the file as a whole (missing, unreadable, not gzip). */
    public AsnDatabaseException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }

    /** A problem on one line, 1-based: "ip2asn.tsv:17: range_end '1.2.3' is not an IP address". */
    public AsnDatabaseException(Path file, long line, String problem) {
        super(file + ":" + line + ": " + problem);
    }
}
