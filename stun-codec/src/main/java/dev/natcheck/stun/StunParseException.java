package dev.natcheck.stun;

/** The one exception decoding raises: what was wrong, at which byte offset, expected against actual. */
public final class StunParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final int offset;

    /**
     * @param field  what was being read, e.g. "message length" or "attribute XOR-MAPPED-ADDRESS"
     * @param offset byte offset of that field from the start of the message
     * @param detail expected against actual, e.g. "length 12 overruns message end at 32"
     */
    public StunParseException(String field, int offset, String detail) {
        // No stack trace: malformed datagrams are ordinary input for a server under a garbage
        // flood, and the message already says everything a stack trace would.
        super(field + " at offset " + offset + ": " + detail, null, false, false);
        this.field = field;
        this.offset = offset;
    }

    /** What was being read when decoding failed. */
    public String field() {
        return field;
    }

    /** Byte offset of the faulty field, counted from the first byte of the message. */
    public int offset() {
        return offset;
    }
}
