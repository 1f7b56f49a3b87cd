package dev.natcheck.transaction;

import dev.natcheck.address.AddressText;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A datagram that did not settle a transaction, and why: the answer validator's verdict, kept as
 * evidence. {@code transaction} is the one it carried the id of, if any. Made by the engine only,
 * never with a null component.
 */
public record Ignored(
        Reason reason, String detail, Endpoint endpoint, InetSocketAddress source, Optional<Transaction> transaction) {

    /** Every reason the engine has to set a datagram aside, in the order it checks them. */
    public enum Reason {
        /** Not a well-formed STUN message (the detail is the decoder's: what, at which offset). */
        MALFORMED,
        NO_MAGIC_COOKIE,
        FOREIGN_TRANSACTION,
        WRONG_METHOD,
        /** Arrived on a socket other than the one the request went out on. */
        WRONG_SOCKET,
        WRONG_SOURCE,
        /** A request or indication where a response was due, or the reverse. */
        WRONG_CLASS,
        /** The request was signed and the answer's MESSAGE-INTEGRITY is missing or does not check out. */
        BAD_INTEGRITY,
        /** A Binding success response without a mapped address of the socket's family. */
        NO_MAPPED_ADDRESS,
        /** 420 naming PADDING: the request goes out again without it, under a new transaction id. */
        PADDING_UNKNOWN,
        /** 401 with a realm and nonce: the request goes out again with long-term credentials, under a new id. */
        CHALLENGED,
        /** 438 (Stale Nonce): the request goes out again with the new nonce, under a new id. */
        STALE_NONCE
    }

    /** What happened, without saying to whom: "answer with a foreign transaction id ignored". */
    public String text() {
        return switch (reason) {
            case MALFORMED -> "malformed answer ignored (" + detail + ")";
            case NO_MAGIC_COOKIE -> "answer without the STUN magic cookie ignored";
            case FOREIGN_TRANSACTION -> "answer with a foreign transaction id ignored";
            case WRONG_METHOD -> "answer for method " + detail + " ignored";
            case WRONG_SOCKET -> "answer arrived on " + endpoint + ", not on the socket asked from, ignored";
            case WRONG_SOURCE -> "answer from " + AddressText.format(source) + " instead of the address asked ignored";
            case WRONG_CLASS -> "a " + detail + " ignored";
            case BAD_INTEGRITY -> "answer without valid MESSAGE-INTEGRITY ignored (" + detail + ")";
            case NO_MAPPED_ADDRESS -> detail;
            case PADDING_UNKNOWN -> "does not understand PADDING (420), asked again without it";
            case CHALLENGED -> "asked for credentials (401, realm \"" + detail + "\"), asked again with them";
            case STALE_NONCE -> "the nonce went stale (438), asked again with the new one";
        };
    }

    /** The evidence line: the transaction's label, or the socket and the sender, then {@link #text()}. */
    @Override
    public String toString() {
        return transaction.map(Transaction::label).orElse(endpoint + ", from " + AddressText.format(source)) + ": "
                + text();
    }
}
