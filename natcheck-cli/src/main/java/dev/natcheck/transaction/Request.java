package dev.natcheck.transaction;

import dev.natcheck.stun.AttributeType;
import dev.natcheck.stun.LongTermCredentials;
import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.MessageHeader;
import dev.natcheck.stun.Method;
import dev.natcheck.stun.StunAttribute;
import dev.natcheck.stun.TransactionId;
import java.util.List;
import java.util.Optional;

/**
 * What one transaction sends: {@code method} with {@code attributes} in order, PADDING up to
 * {@link #PADDED_SIZE} bytes when {@code padded} (room for the answer of a server that never
 * answers with more than it got, natcheck's own; a server that does not know PADDING gets the
 * request again without it after its 420), when signed USERNAME (short-term) or USERNAME or
 * USERHASH, NONCE, REALM and the password algorithms (long-term) before the PADDING and the
 * signer's MESSAGE-INTEGRITY (or MESSAGE-INTEGRITY-SHA256) after it, and FINGERPRINT. The transaction id is the engine's, fresh for every transaction.
 */
public record Request(
        Method method, List<StunAttribute> attributes, boolean padded, Optional<Credentials> credentials) {

    /** Size of a padded request, header included: room for any answer natcheck's server gives. */
    public static final int PADDED_SIZE = 256;

    private static final int ATTRIBUTE_HEADER_SIZE = 4;
    private static final int FINGERPRINT_SIZE = 8;
    private static final int PADDING_ROOM = PADDED_SIZE - MessageHeader.SIZE - ATTRIBUTE_HEADER_SIZE - FINGERPRINT_SIZE;

    public Request {
        attributes = List.copyOf(attributes);
        if (padded && hasResponsePort(attributes)) {
            throw new IllegalArgumentException("RFC 5780 section 7.6: no PADDING next to RESPONSE-PORT");
        }
    }

    /** A Binding Request with {@code attributes}, padded unless one of them is RESPONSE-PORT. */
    public static Request binding(StunAttribute... attributes) {
        List<StunAttribute> list = List.of(attributes);
        return new Request(Method.BINDING, list, !hasResponsePort(list), Optional.empty());
    }

    /**
     * A request of {@code method} with {@code attributes}, without PADDING: what a TURN client
     * sends (a TURN server answers with what it must, and PADDING would only draw a 420).
     */
    public static Request of(Method method, StunAttribute... attributes) {
        return new Request(method, List.of(attributes), false, Optional.empty());
    }

    private static boolean hasResponsePort(List<StunAttribute> attributes) {
        for (StunAttribute attribute : attributes) {
            if (attribute.type() == AttributeType.RESPONSE_PORT) {
                return true;
            }
        }
        return false;
    }

    /** The same request without PADDING. */
    public Request withoutPadding() {
        return new Request(method, attributes, false, credentials);
    }

    /** The same request signed with {@code signer}. */
    public Request signedWith(Credentials signer) {
        return new Request(method, attributes, padded, Optional.of(signer));
    }

    /** Writes this request with transaction id {@code id} into {@code buf} from 0; returns its length. */
    int encode(MessageEncoder encoder, byte[] buf, TransactionId id) {
        encoder.begin(buf, 0, MessageClass.REQUEST, method, id);
        for (StunAttribute attribute : attributes) {
            encoder.add(attribute);
        }
        Credentials signer = credentials.orElse(null);
        LongTermCredentials longTerm = signer == null ? null : signer.longTerm().orElse(null);
        if (longTerm != null) {
            encoder.addCredentials(longTerm);
        } else if (signer != null) {
            encoder.addUsername(signer.username());
        }
        if (padded) {
            int used = encoder.length() - MessageHeader.SIZE + (signer != null ? signer.integritySize() : 0);
            encoder.addPadding(Math.max(0, PADDING_ROOM - used));
        }
        if (longTerm != null) {
            encoder.addMessageIntegrity(longTerm);
        } else if (signer != null) {
            encoder.addMessageIntegrity(signer.key());
        }
        return encoder.finish(true);
    }
}
