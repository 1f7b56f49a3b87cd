package dev.natcheck.stun;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A whole STUN message as an immutable value: header fields and typed attributes in wire order.
 * Convenient for clients, tests and tools; the server's hot path uses {@link MessageView} and
 * {@link MessageEncoder} instead.
 *
 * <p>A {@link Fingerprint} may only be the last attribute; encoding computes it. A
 * {@link MessageIntegrity} or {@link MessageIntegritySha256} is written as held unless
 * {@link #encode(byte[])} is given a key.
 *
 * @param messageClass  request, indication, success or error response
 * @param method        the method
 * @param cookie        {@link MessageHeader#MAGIC_COOKIE}, or for an RFC 3489 message the first
 *                      32 bits of its 128-bit transaction id
 * @param transactionId the 96 bits after the cookie
 * @param attributes    attributes in wire order
 */
public record StunMessage(
        MessageClass messageClass,
        Method method,
        int cookie,
        TransactionId transactionId,
        List<StunAttribute> attributes) {

    public StunMessage {
        if (messageClass == null || method == null || transactionId == null) {
            throw new NullPointerException("messageClass, method and transactionId are required");
        }
        attributes = List.copyOf(attributes);
        for (int i = 0; i < attributes.size() - 1; i++) {
            if (attributes.get(i) instanceof Fingerprint) {
                throw new IllegalArgumentException("FINGERPRINT must be the last attribute, found at index " + i);
            }
        }
    }

    /** An RFC 8489 message (with the magic cookie). */
    public StunMessage(
            MessageClass messageClass, Method method, TransactionId transactionId, List<StunAttribute> attributes) {
        this(messageClass, method, MessageHeader.MAGIC_COOKIE, transactionId, attributes);
    }

    /** An RFC 8489 message (with the magic cookie). */
    public static StunMessage of(
            MessageClass messageClass, Method method, TransactionId transactionId, StunAttribute... attributes) {
        return new StunMessage(messageClass, method, transactionId, Arrays.asList(attributes));
    }

    /** A Binding request with a fresh random transaction id. */
    public static StunMessage bindingRequest(StunAttribute... attributes) {
        return of(MessageClass.REQUEST, Method.BINDING, TransactionId.random(), attributes);
    }

    /** Decodes one message, strictly (see {@link MessageView}). */
    public static StunMessage decode(byte[] buf, int off, int len) throws StunParseException {
        MessageView view = new MessageView();
        view.decode(buf, off, len);
        return view.toMessage();
    }

    /** Decodes the whole array as one message. */
    public static StunMessage decode(byte[] buf) throws StunParseException {
        return decode(buf, 0, buf.length);
    }

    /** Whether this is an RFC 3489 message (no magic cookie). */
    public boolean isLegacy() {
        return cookie != MessageHeader.MAGIC_COOKIE;
    }

    /** The first attribute of record type {@code kind}. */
    public <T extends StunAttribute> Optional<T> attribute(Class<T> kind) {
        for (StunAttribute a : attributes) {
            if (kind.isInstance(a)) {
                return Optional.of(kind.cast(a));
            }
        }
        return Optional.empty();
    }

    /** The first attribute with wire type {@code type}. */
    public Optional<StunAttribute> attribute(int type) {
        for (StunAttribute a : attributes) {
            if (a.type() == type) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Whether the message ends with FINGERPRINT. */
    public boolean hasFingerprint() {
        return !attributes.isEmpty() && attributes.getLast() instanceof Fingerprint;
    }

    /** Encoded size in bytes. */
    public int encodedLength() {
        int n = MessageHeader.SIZE;
        for (StunAttribute a : attributes) {
            int v = valueLength(a);
            n += 4 + v + Bytes.padding(v);
        }
        return n;
    }

    private static int valueLength(StunAttribute a) {
        return switch (a) {
            case AddressAttribute x -> x.family().attributeLength();
            case Username u -> Utf8.length(u.value());
            case Software s -> Utf8.length(s.value());
            case ErrorCode e -> 4 + Utf8.length(e.reason());
            case UnknownAttributes u -> 2 * u.types().size();
            case MessageIntegrity m -> MessageIntegrity.LENGTH;
            case Fingerprint f -> 4;
            case ChangeRequest c -> 4;
            case ResponsePort r -> 4;
            case Padding p -> p.length();
            case ChannelNumber c -> 4;
            case Lifetime l -> 4;
            case Data d -> d.length();
            case RequestedAddressFamily r -> 4;
            case AdditionalAddressFamily f -> 4;
            case EvenPort e -> 1;
            case RequestedTransport r -> 4;
            case DontFragment d -> 0;
            case ReservationToken r -> 8;
            case AddressErrorCode e -> 4 + Utf8.length(e.reason());
            case Icmp i -> 8;
            case Realm r -> Utf8.length(r.value());
            case Nonce n -> Utf8.length(n.value());
            case Userhash u -> Userhash.LENGTH;
            case PasswordAlgorithms p -> p.encodedLength();
            case PasswordAlgorithm p -> p.encodedLength();
            case MessageIntegritySha256 m -> m.length();
            case RawAttribute r -> r.length();
        };
    }

    /** Encodes into {@code buf[off ..]} and returns the length; MESSAGE-INTEGRITY written as held. */
    public int encode(byte[] buf, int off) {
        return encode(buf, off, null);
    }

    /**
     * Encodes into {@code buf[off ..]} and returns the length. With a non-null key, a
     * {@link MessageIntegrity} or {@link MessageIntegritySha256} attribute is recomputed under
     * that key (the latter at its own length).
     */
    public int encode(byte[] buf, int off, byte[] integrityKey) {
        MessageEncoder e = new MessageEncoder().begin(buf, off, messageClass, method, cookie, transactionId);
        for (StunAttribute a : attributes) {
            if (a instanceof Fingerprint) {
                break;
            }
            if (a instanceof MessageIntegrity && integrityKey != null) {
                e.addMessageIntegrity(integrityKey);
            } else if (a instanceof MessageIntegritySha256 m && integrityKey != null) {
                e.addMessageIntegritySha256(integrityKey, m.length());
            } else {
                e.add(a);
            }
        }
        return e.finish(hasFingerprint());
    }

    /** The encoded message as a new array; MESSAGE-INTEGRITY written as held. */
    public byte[] encode() {
        return encode((byte[]) null);
    }

    /** The encoded message as a new array, MESSAGE-INTEGRITY recomputed under {@code integrityKey} if non-null. */
    public byte[] encode(byte[] integrityKey) {
        byte[] b = new byte[encodedLength()];
        encode(b, 0, integrityKey);
        return b;
    }
}
