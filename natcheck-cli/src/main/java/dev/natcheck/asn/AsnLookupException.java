package dev.natcheck.asn;

/** An ASN source could not answer (as opposed to answering "unknown"). */
public final class AsnLookupException extends Exception {

    private static final long serialVersionUID = 1L;

    public AsnLookupException(String message) {
        super(message);
    }

    public AsnLookupException(String message, Throwable cause) {
        super(message, cause);
    }
}
