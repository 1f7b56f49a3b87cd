package dev.natcheck.gateway;

/** A gateway's answer that cannot be read: what is wrong with it and at which byte offset. */
public final class MalformedAnswerException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedAnswerException(String what, int offset) {
        super(what + " at offset " + offset);
    }

    public MalformedAnswerException(String what) {
        super(what);
    }
}
