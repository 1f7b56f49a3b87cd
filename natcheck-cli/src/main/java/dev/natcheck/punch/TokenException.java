package dev.natcheck.punch;

/**
 * A token that cannot be read: truncated, mistyped, changed, or of another version. The message
 * is one line that says what is wrong and where, for the user who pasted it.
 */
public final class TokenException extends Exception {

    public TokenException(String message) {
        super(message);
    }
}
