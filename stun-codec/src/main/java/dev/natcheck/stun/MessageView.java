package dev.natcheck.stun;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32;
import javax.crypto.Mac;

/**
 * A reusable, mutable view of one decoded STUN message. {@link #decode} checks the whole message
 * strictly (see below) and records where each attribute is in preallocated int tables, so
 * decoding allocates nothing once the tables have grown to the largest message seen. Accessors
 * read straight from the caller's buffer: the view is valid until the buffer changes or the
 * next {@code decode}. Not thread-safe: one view per thread.
 *
 * <p>Decoding rejects with {@link StunParseException}: a message shorter than 20 bytes; type
 * bits 15..14 not zero; a length not a multiple of 4 or not the received size minus 20; an
 * attribute overrunning the message; a malformed value of a type this codec understands
 * (address family and length, ERROR-CODE and ADDRESS-ERROR-CODE class and number, fixed-length
 * attributes, channel numbers outside 0x4000..0x4FFF, PASSWORD-ALGORITHM(S) entries that do not
 * fill the value, a MESSAGE-INTEGRITY-SHA256 that is not 16..32 bytes in steps of 4, text that is
 * not UTF-8); an attribute after FINGERPRINT; a FINGERPRINT whose CRC does not match. Padding bytes are
 * ignored whatever they hold. Attributes after MESSAGE-INTEGRITY other than
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are skipped, as RFC 8489 §14.5 says.
 */
public final class MessageView {

    private static final int INITIAL_ATTRIBUTES = 16;

    private final CRC32 crc = new CRC32();

    private byte[] buf;
    private int off;
    private int len;
    private int type;
    private int cookie;

    private int count;
    private int[] types = new int[INITIAL_ATTRIBUTES];
    private int[] offsets = new int[INITIAL_ATTRIBUTES];
    private int[] lengths = new int[INITIAL_ATTRIBUTES];

    private int unknownCount;
    private int[] unknown = new int[INITIAL_ATTRIBUTES];

    private int integrityIndex;
    private int integritySha256Index;
    private int fingerprintIndex;
    private int changeRequestFlags;
    private int responsePort;
    private int paddingIndex;

    // Integrity checks: a Mac per algorithm, kept while the caller passes the same key array.
    private Mac sha1;
    private byte[] sha1Key;
    private Mac sha256;
    private byte[] sha256Key;
    private final byte[] expected = new byte[MessageIntegritySha256.LENGTH];

    // Holds a copy of direct ByteBuffer contents, which have no array to view.
    private byte[] copy = new byte[0];

    /**
     * Decodes the message in {@code buf[off .. off+len)}, which must be exactly one datagram.
     *
     * @throws StunParseException if the message is malformed; the view is then empty
     */
    public void decode(byte[] buf, int off, int len) throws StunParseException {
        reset();
        if (off < 0 || len < 0 || off > buf.length - len) {
            throw new IndexOutOfBoundsException(
                    "range [" + off + ", " + off + "+" + len + ") outside array of " + buf.length);
        }
        this.buf = buf;
        this.off = off;
        this.len = len;
        try {
            parse();
        } catch (StunParseException e) {
            reset();
            throw e;
        }
    }

    /** Decodes the whole array as one message. */
    public void decode(byte[] buf) throws StunParseException {
        decode(buf, 0, buf.length);
    }

    /**
     * Decodes the bytes between position and limit of {@code b} without moving its position. A
     * heap buffer is viewed in place; a direct buffer is copied into an array the view keeps.
     */
    public void decode(ByteBuffer b) throws StunParseException {
        int n = b.remaining();
        if (b.hasArray()) {
            decode(b.array(), b.arrayOffset() + b.position(), n);
            return;
        }
        if (copy.length < n) {
            copy = new byte[Math.max(n, 2 * copy.length)];
        }
        b.get(b.position(), copy, 0, n);
        decode(copy, 0, n);
    }

    private void reset() {
        buf = null;
        len = 0;
        count = 0;
        unknownCount = 0;
        integrityIndex = -1;
        integritySha256Index = -1;
        fingerprintIndex = -1;
        paddingIndex = -1;
        changeRequestFlags = 0;
        responsePort = -1;
    }

    // The hot methods below stay small enough for the JIT to inline (FreqInlineSize, 325
    // bytecodes): every error message is built in a cold static method that returns the
    // exception, and the caller throws it. The header check is a method of its own so that it
    // inlines into decode; the walk, whose machine code is larger than C2's InlineSmallCode,
    // stays a call either way.

    private void parse() throws StunParseException {
        parseHeader();
        parseAttributes();
    }

    private void parseHeader() throws StunParseException {
        if (len < MessageHeader.SIZE) {
            throw tooShort(len);
        }
        int word = Bytes.getInt(buf, off);
        type = word >>> 16;
        int length = word & 0xFFFF;
        if ((type & 0xC000) != 0) {
            throw badTypeBits(type);
        }
        if ((length & 3) != 0 || length != len - MessageHeader.SIZE) {
            throw badLength(length, len);
        }
        cookie = Bytes.getInt(buf, off + 4);
    }

    private void parseAttributes() throws StunParseException {
        // 0: reading; 1: after MESSAGE-INTEGRITY; 2: after MESSAGE-INTEGRITY-SHA256.
        int sealed = 0;
        int p = MessageHeader.SIZE;
        while (p < len) {
            // len - p >= 4 here: both are multiples of 4 (length checked above).
            int header = Bytes.getInt(buf, off + p);
            int at = header >>> 16;
            int al = header & 0xFFFF;
            int valueEnd = p + 4 + al;
            if (valueEnd > len) {
                throw overrun(at, p, al, len);
            }
            int next = valueEnd + Bytes.padding(al);
            if (at == AttributeType.FINGERPRINT) {
                checkFingerprint(p, al, next);
                add(at, p + 4, al);
                fingerprintIndex = count - 1;
            } else if (sealed == 0) {
                check(at, p, al);
                add(at, p + 4, al);
                if (at == AttributeType.MESSAGE_INTEGRITY) {
                    integrityIndex = count - 1;
                    sealed = 1;
                } else if (at == AttributeType.MESSAGE_INTEGRITY_SHA256) {
                    integritySha256Index = count - 1;
                    sealed = 2;
                }
            } else if (sealed == 1 && at == AttributeType.MESSAGE_INTEGRITY_SHA256) {
                check(at, p, al);
                add(at, p + 4, al);
                integritySha256Index = count - 1;
                sealed = 2;
            }
            p = next;
        }
    }

    private void checkFingerprint(int p, int al, int next) throws StunParseException {
        if (al != 4) {
            throw badLength(AttributeType.FINGERPRINT, p, al, 4);
        }
        if (next != len) {
            throw fingerprintNotLast(p, len - next);
        }
        int expected = Fingerprint.compute(crc, buf, off, p);
        int actual = Bytes.getInt(buf, off + p + 4);
        if (expected != actual) {
            throw badFingerprint(p, actual, expected);
        }
    }

    /** Validates the value of an attribute this codec understands; others pass untouched. */
    private void check(int at, int p, int al) throws StunParseException {
        switch (at) {
            case AttributeType.MAPPED_ADDRESS,
                    AttributeType.XOR_MAPPED_ADDRESS,
                    AttributeType.RESPONSE_ORIGIN,
                    AttributeType.OTHER_ADDRESS,
                    AttributeType.ALTERNATE_SERVER,
                    AttributeType.SOURCE_ADDRESS,
                    AttributeType.CHANGED_ADDRESS,
                    AttributeType.XOR_PEER_ADDRESS,
                    AttributeType.XOR_RELAYED_ADDRESS -> checkAddress(at, p, al);
            case AttributeType.CHANGE_REQUEST -> {
                fixedLength(at, p, al, 4);
                if (indexOf(at) < 0) { // the first CHANGE-REQUEST counts (RFC 8489 §14)
                    changeRequestFlags =
                            Bytes.getInt(buf, off + p + 4) & (ChangeRequest.CHANGE_IP | ChangeRequest.CHANGE_PORT);
                }
            }
            case AttributeType.MESSAGE_INTEGRITY -> fixedLength(at, p, al, MessageIntegrity.LENGTH);
            case AttributeType.USERNAME, AttributeType.SOFTWARE, AttributeType.REALM, AttributeType.NONCE ->
                utf8(at, p, 0, al);
            case AttributeType.USERHASH -> fixedLength(at, p, al, Userhash.LENGTH);
            case AttributeType.MESSAGE_INTEGRITY_SHA256 -> {
                if (!MessageIntegritySha256.isValidLength(al)) {
                    throw badLength(at, p, al, "16..32, a multiple of 4");
                }
            }
            case AttributeType.PASSWORD_ALGORITHMS -> checkPasswordAlgorithms(at, p, al);
            case AttributeType.PASSWORD_ALGORITHM -> {
                if (checkPasswordAlgorithms(at, p, al) != 1) {
                    throw badLength(at, p, al, "one algorithm");
                }
            }
            case AttributeType.ERROR_CODE -> {
                if (al < 4) {
                    throw badLength(at, p, al, "at least 4");
                }
                checkErrorCode(at, p, al);
            }
            case AttributeType.UNKNOWN_ATTRIBUTES -> {
                if ((al & 1) != 0) {
                    throw unknownAttributesOdd(p, al);
                }
            }
            case AttributeType.RESPONSE_PORT -> {
                if (al != 2 && al != 4) {
                    throw responsePortLength(p, al);
                }
                if (responsePort < 0) {
                    responsePort = Bytes.getShort(buf, off + p + 4);
                }
            }
            case AttributeType.PADDING -> {
                if (paddingIndex < 0) {
                    paddingIndex = count;
                }
            }
            case AttributeType.CHANNEL_NUMBER -> checkChannelNumber(p, al);
            case AttributeType.LIFETIME, AttributeType.REQUESTED_TRANSPORT -> fixedLength(at, p, al, 4);
            case AttributeType.REQUESTED_ADDRESS_FAMILY, AttributeType.ADDITIONAL_ADDRESS_FAMILY -> {
                fixedLength(at, p, al, 4);
                checkFamily(at, p + 4);
            }
            case AttributeType.EVEN_PORT -> fixedLength(at, p, al, 1);
            case AttributeType.DONT_FRAGMENT -> fixedLength(at, p, al, 0);
            case AttributeType.RESERVATION_TOKEN, AttributeType.ICMP -> fixedLength(at, p, al, 8);
            case AttributeType.ADDRESS_ERROR_CODE -> {
                if (al < 4) {
                    throw badLength(at, p, al, "at least 4");
                }
                checkFamily(at, p + 4);
                checkErrorCode(at, p, al);
            }
            case AttributeType.DATA -> {}
            default -> {
                if (AttributeType.isComprehensionRequired(at) && !AttributeType.isUnderstood(at)) {
                    addUnknown(at);
                }
            }
        }
    }

    private void checkAddress(int at, int p, int al) throws StunParseException {
        // Reserved byte, family, port, then 4 (IPv4) or 16 (IPv6) address bytes; the length
        // is checked before the family byte is read, which may lie past a short value.
        if (al == 8 ? buf[off + p + 5] != 0x01 : al != 20 || buf[off + p + 5] != 0x02) {
            throw badAddress(buf, off, at, p, al);
        }
    }

    /** ERROR-CODE and ADDRESS-ERROR-CODE: class 3..6, number 0..99, UTF-8 reason (length checked). */
    private void checkErrorCode(int at, int p, int al) throws StunParseException {
        int v = off + p + 4;
        int errorClass = buf[v + 2] & 0x07;
        int number = buf[v + 3] & 0xFF;
        if (errorClass < 3 || errorClass > 6 || number > 99) {
            throw badErrorCode(at, p, errorClass, number);
        }
        utf8(at, p, 4, al - 4);
    }

    /**
     * Walks the entries of PASSWORD-ALGORITHM(S) (RFC 8489 §14.11, §14.12): each a number, a
     * parameters length, the parameters and their padding, exactly filling the value. Returns the
     * number of entries.
     */
    private int checkPasswordAlgorithms(int at, int p, int al) throws StunParseException {
        int entries = 0;
        int q = 0;
        while (q < al) {
            if (al - q < 4) {
                throw passwordAlgorithmShort(at, p + 4 + q, al - q);
            }
            int parameters = Bytes.getShort(buf, off + p + 4 + q + 2);
            int next = q + 4 + parameters + Bytes.padding(parameters);
            if (next > al) {
                throw passwordAlgorithmOverrun(at, p + 4 + q, parameters, p + 4 + al);
            }
            q = next;
            entries++;
        }
        return entries;
    }

    private void checkChannelNumber(int p, int al) throws StunParseException {
        fixedLength(AttributeType.CHANNEL_NUMBER, p, al, 4);
        int number = Bytes.getShort(buf, off + p + 4);
        if (!ChannelNumber.isValid(number)) {
            throw badChannelNumber("attribute CHANNEL-NUMBER", p + 4, number);
        }
    }

    /** The family byte of REQUESTED-ADDRESS-FAMILY and its kin, at message offset {@code at}. */
    private void checkFamily(int type, int at) throws StunParseException {
        int code = buf[off + at] & 0xFF;
        if (AddressFamily.ofCode(code) == null) {
            throw badFamily(type, at, code);
        }
    }

    /** Text values must be UTF-8 (RFC 8489 §14.3, §14.8, §14.14), so they decode to exactly what was sent. */
    private void utf8(int at, int p, int skip, int n) throws StunParseException {
        int bad = Utf8.invalidAt(buf, off + p + 4 + skip, n);
        if (bad >= 0) {
            throw notUtf8(buf, off, at, p + 4 + skip + bad);
        }
    }

    private static void fixedLength(int at, int p, int al, int expected) throws StunParseException {
        if (al != expected) {
            throw badLength(at, p, al, expected);
        }
    }

    // ---- cold: error messages naming the field, its offset, expected against actual ----

    private static StunParseException tooShort(int len) {
        return new StunParseException(
                "message", 0, len + " bytes, shorter than the " + MessageHeader.SIZE + "-byte header");
    }

    private static StunParseException badTypeBits(int type) {
        return new StunParseException(
                "message type",
                0,
                "first two bits must be 0b00, got 0b"
                        + Integer.toBinaryString(0b100 | type >>> 14).substring(1));
    }

    private static StunParseException badLength(int length, int len) {
        if ((length & 3) != 0) {
            return new StunParseException("message length", 2, length + " is not a multiple of 4");
        }
        return new StunParseException(
                "message length",
                2,
                "header says " + length + ", expected " + (len - MessageHeader.SIZE) + " (" + len
                        + " bytes received minus 20)");
    }

    private static StunParseException overrun(int at, int p, int al, int len) {
        return new StunParseException(
                "attribute " + AttributeType.name(at), p, "length " + al + " overruns message end at " + len);
    }

    private static StunParseException badLength(int at, int p, int al, int expected) {
        return new StunParseException(
                "attribute " + AttributeType.name(at), p, "length " + al + ", expected " + expected);
    }

    private static StunParseException fingerprintNotLast(int p, int following) {
        return new StunParseException(
                "attribute FINGERPRINT", p, "must be the last attribute, but " + following + " bytes follow");
    }

    private static StunParseException badFingerprint(int p, int actual, int expected) {
        return new StunParseException(
                "attribute FINGERPRINT", p, String.format("value 0x%08x, expected 0x%08x", actual, expected));
    }

    private static StunParseException badAddress(byte[] buf, int off, int at, int p, int al) {
        if (al < 4) {
            return new StunParseException(
                    "attribute " + AttributeType.name(at), p, "length " + al + ", expected 8 (IPv4) or 20 (IPv6)");
        }
        int code = buf[off + p + 5] & 0xFF;
        AddressFamily family = AddressFamily.ofCode(code);
        if (family == null) {
            return new StunParseException(
                    "attribute " + AttributeType.name(at),
                    p + 5,
                    String.format("address family 0x%02x, expected 0x01 (IPv4) or 0x02 (IPv6)", code));
        }
        return new StunParseException(
                "attribute " + AttributeType.name(at),
                p,
                "length " + al + ", expected " + family.attributeLength() + " for " + family);
    }

    private static StunParseException badLength(int at, int p, int al, String expected) {
        return new StunParseException(
                "attribute " + AttributeType.name(at), p, "length " + al + ", expected " + expected);
    }

    private static StunParseException badErrorCode(int at, int p, int errorClass, int number) {
        String field = "attribute " + AttributeType.name(at);
        if (errorClass < 3 || errorClass > 6) {
            return new StunParseException(field, p + 6, "class " + errorClass + ", expected 3..6");
        }
        return new StunParseException(field, p + 7, "number " + number + ", expected 0..99");
    }

    private static StunParseException passwordAlgorithmShort(int at, int offset, int left) {
        return new StunParseException(
                "attribute " + AttributeType.name(at),
                offset,
                left + " bytes left, expected an algorithm of 4 or more");
    }

    private static StunParseException passwordAlgorithmOverrun(int at, int offset, int parameters, int end) {
        return new StunParseException(
                "attribute " + AttributeType.name(at),
                offset,
                "algorithm parameters of " + parameters + " bytes (padded to "
                        + (parameters + Bytes.padding(parameters)) + ") overrun the value end at " + end);
    }

    static StunParseException badChannelNumber(String field, int offset, int number) {
        return new StunParseException(
                field, offset, String.format("channel number 0x%04x, expected 0x4000..0x4fff", number));
    }

    private static StunParseException badFamily(int type, int at, int code) {
        return new StunParseException(
                "attribute " + AttributeType.name(type),
                at,
                String.format("address family 0x%02x, expected 0x01 (IPv4) or 0x02 (IPv6)", code));
    }

    private static StunParseException unknownAttributesOdd(int p, int al) {
        return new StunParseException("attribute UNKNOWN-ATTRIBUTES", p, "length " + al + ", expected a multiple of 2");
    }

    private static StunParseException responsePortLength(int p, int al) {
        return new StunParseException("attribute RESPONSE-PORT", p, "length " + al + ", expected 4 (or 2)");
    }

    private static StunParseException notUtf8(byte[] buf, int off, int at, int offset) {
        return new StunParseException(
                "attribute " + AttributeType.name(at),
                offset,
                String.format("byte 0x%02x is not valid UTF-8 here", buf[off + offset] & 0xFF));
    }

    private void add(int at, int valueOffset, int al) {
        if (count == types.length) {
            grow();
        }
        types[count] = at;
        offsets[count] = valueOffset;
        lengths[count] = al;
        count++;
    }

    private void grow() {
        types = Arrays.copyOf(types, 2 * count);
        offsets = Arrays.copyOf(offsets, 2 * count);
        lengths = Arrays.copyOf(lengths, 2 * count);
    }

    private void addUnknown(int at) {
        for (int i = 0; i < unknownCount; i++) {
            if (unknown[i] == at) {
                return;
            }
        }
        if (unknownCount == unknown.length) {
            unknown = Arrays.copyOf(unknown, 2 * unknownCount);
        }
        unknown[unknownCount++] = at;
    }

    // ---- header ----

    /** The array the message was decoded from (not a copy). */
    public byte[] buffer() {
        return buf;
    }

    /** Offset of the message's first byte in {@link #buffer()}. */
    public int offset() {
        return off;
    }

    /** Total message length, header included. */
    public int length() {
        return len;
    }

    /** The 16-bit message type. */
    public int messageType() {
        return type;
    }

    /** The message class. */
    public MessageClass messageClass() {
        return MessageClass.ofBits(MessageHeader.classBits(type));
    }

    /** The method (a cached instance: compare with {@code ==} or equals). */
    public Method method() {
        return Method.of(MessageHeader.methodCode(type));
    }

    /** The 12-bit method number. */
    public int methodCode() {
        return MessageHeader.methodCode(type);
    }

    /** Whether this is a Binding request, the one message a STUN server answers. */
    public boolean isBindingRequest() {
        return type == MessageHeader.messageType(MessageClass.REQUEST, Method.BINDING.code());
    }

    /** The 32 bits at offset 4: the magic cookie, or part of an RFC 3489 transaction id. */
    public int cookie() {
        return cookie;
    }

    /** Whether this is an RFC 3489 message: no magic cookie at offset 4. */
    public boolean isLegacy() {
        return cookie != MessageHeader.MAGIC_COOKIE;
    }

    /** Copies the 12-byte transaction id into {@code dst[dstOff ..]}. */
    public void copyTransactionId(byte[] dst, int dstOff) {
        System.arraycopy(buf, off + MessageHeader.TRANSACTION_ID_OFFSET, dst, dstOff, TransactionId.LENGTH);
    }

    /** The transaction id as a value. */
    public TransactionId transactionId() {
        return TransactionId.of(buf, off + MessageHeader.TRANSACTION_ID_OFFSET);
    }

    /** Whether the message carries transaction id {@code id}; allocates nothing. */
    public boolean transactionIdMatches(TransactionId id) {
        return id.matches(buf, off + MessageHeader.TRANSACTION_ID_OFFSET);
    }

    /** The header as a value. */
    public MessageHeader header() {
        return new MessageHeader(messageClass(), method(), len - MessageHeader.SIZE, cookie, transactionId());
    }

    // ---- attribute table ----

    /** Number of attributes kept (those after MESSAGE-INTEGRITY that receivers ignore are not). */
    public int attributeCount() {
        return count;
    }

    /** Type of attribute {@code i}. */
    public int attributeType(int i) {
        checkIndex(i);
        return types[i];
    }

    /** Offset of attribute {@code i}'s value in {@link #buffer()}. */
    public int attributeValueOffset(int i) {
        checkIndex(i);
        return off + offsets[i];
    }

    /** Length of attribute {@code i}'s value (without padding). */
    public int attributeLength(int i) {
        checkIndex(i);
        return lengths[i];
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("attribute index " + i + ", message has " + count);
        }
    }

    /** Index of the first attribute of {@code type}, or -1. */
    public int indexOf(int type) {
        for (int i = 0; i < count; i++) {
            if (types[i] == type) {
                return i;
            }
        }
        return -1;
    }

    /** Whether an attribute of {@code type} is present. */
    public boolean has(int type) {
        return indexOf(type) >= 0;
    }

    // ---- allocation-free accessors for the server path ----

    /** CHANGE-REQUEST flags ({@link ChangeRequest#CHANGE_IP}, {@link ChangeRequest#CHANGE_PORT}); 0 when absent. */
    public int changeRequestFlags() {
        return changeRequestFlags;
    }

    /** The RESPONSE-PORT port, or -1 when absent. */
    public int responsePort() {
        return responsePort;
    }

    /** The first LIFETIME in seconds (0..2^32-1), or -1 when absent; allocation-free. */
    public long lifetimeSeconds() {
        int i = indexOf(AttributeType.LIFETIME);
        return i < 0 ? -1 : Bytes.getInt(buf, off + offsets[i]) & 0xFFFFFFFFL;
    }

    /** The first CHANNEL-NUMBER (0x4000..0x4FFF), or -1 when absent; allocation-free. */
    public int channelNumber() {
        int i = indexOf(AttributeType.CHANNEL_NUMBER);
        return i < 0 ? -1 : Bytes.getShort(buf, off + offsets[i]);
    }

    /** The first ERROR-CODE as a number 300..699, or -1 when absent; allocation-free. */
    public int errorCodeValue() {
        int i = indexOf(AttributeType.ERROR_CODE);
        if (i < 0) {
            return -1;
        }
        int v = off + offsets[i];
        return (buf[v + 2] & 0x07) * 100 + (buf[v + 3] & 0xFF);
    }

    /** Whether a PADDING attribute is present. */
    public boolean hasPadding() {
        return paddingIndex >= 0;
    }

    /** Length of the first PADDING attribute's value, or -1 when absent. */
    public int paddingLength() {
        return paddingIndex < 0 ? -1 : lengths[paddingIndex];
    }

    /** Whether the message ends with a (valid: decode checked it) FINGERPRINT. */
    public boolean hasFingerprint() {
        return fingerprintIndex >= 0;
    }

    /** Whether a MESSAGE-INTEGRITY attribute is present. */
    public boolean hasMessageIntegrity() {
        return integrityIndex >= 0;
    }

    /**
     * Number of distinct comprehension-required attribute types this codec does not understand;
     * a server answers a request that has any with 420 (RFC 8489 §6.3.1.1).
     */
    public int unknownComprehensionRequiredCount() {
        return unknownCount;
    }

    /** The {@code i}-th unknown comprehension-required type. */
    public int unknownComprehensionRequired(int i) {
        if (i < 0 || i >= unknownCount) {
            throw new IndexOutOfBoundsException("unknown attribute index " + i + ", message has " + unknownCount);
        }
        return unknown[i];
    }

    /** The unknown comprehension-required types, as a new array. */
    public int[] unknownComprehensionRequired() {
        return Arrays.copyOf(unknown, unknownCount);
    }

    /**
     * Copies the IP address of address attribute {@code i} (XOR undone for the XOR kinds)
     * into {@code dst[dstOff ..]} and returns its length, 4 or 16; allocation-free.
     */
    public int copyAddress(int i, byte[] dst, int dstOff) {
        int v = addressValue(i) + 4;
        int n = lengths[i] - 4;
        Objects.checkFromIndexSize(dstOff, n, dst.length);
        boolean xor = AttributeType.isXorAddress(types[i]);
        if (n == 4) { // IPv4, the common case, without the loop
            Bytes.putInt(dst, dstOff, xor ? Bytes.getInt(buf, v) ^ cookie : Bytes.getInt(buf, v));
        } else if (xor) {
            // XORed with the magic cookie, then (IPv6) the transaction id: bytes 4.. of the header.
            for (int k = 0; k < n; k += 4) {
                Bytes.putInt(dst, dstOff + k, Bytes.getInt(buf, v + k) ^ Bytes.getInt(buf, off + 4 + k));
            }
        } else {
            System.arraycopy(buf, v, dst, dstOff, n);
        }
        return n;
    }

    /** The port of address attribute {@code i} (XOR undone for the XOR kinds). */
    public int addressPort(int i) {
        int v = addressValue(i);
        int port = Bytes.getShort(buf, v + 2);
        return AttributeType.isXorAddress(types[i]) ? port ^ Bytes.getShort(buf, off + 4) : port;
    }

    private int addressValue(int i) {
        checkIndex(i);
        if (!AttributeType.isAddress(types[i])) {
            throw new IllegalArgumentException(
                    "attribute " + i + " is " + AttributeType.name(types[i]) + ", not an address");
        }
        return off + offsets[i];
    }

    // ---- MESSAGE-INTEGRITY ----

    /**
     * Whether the message has MESSAGE-INTEGRITY and it is the HMAC-SHA1 of the message under
     * {@code key} (see {@link MessageIntegrity#shortTermKey} and {@link MessageIntegrity#longTermKey}).
     * Compares in constant time.
     */
    public boolean verifyMessageIntegrity(byte[] key) {
        if (integrityIndex < 0) {
            return false;
        }
        if (sha1 == null || sha1Key != key) {
            // Re-keying allocates; the same key array on consecutive calls reuses the Mac.
            sha1 = MessageIntegrity.hmacSha1(key);
            sha1Key = key;
        }
        int at = offsets[integrityIndex] - 4;
        MessageIntegrity.compute(sha1, buf, off, at, expected, 0);
        return Bytes.equalInConstantTime(expected, 0, buf, off + at + 4, MessageIntegrity.LENGTH);
    }

    /** Whether a MESSAGE-INTEGRITY-SHA256 attribute is present. */
    public boolean hasMessageIntegritySha256() {
        return integritySha256Index >= 0;
    }

    /**
     * Whether the message has MESSAGE-INTEGRITY-SHA256 and it is the (possibly truncated)
     * HMAC-SHA256 of the message under {@code key} (RFC 8489 §14.6).
     */
    public boolean verifyMessageIntegritySha256(byte[] key) {
        if (integritySha256Index < 0) {
            return false;
        }
        if (sha256 == null || sha256Key != key) {
            sha256 = MessageIntegritySha256.hmacSha256(key);
            sha256Key = key;
        }
        int at = offsets[integritySha256Index] - 4;
        int length = lengths[integritySha256Index];
        MessageIntegritySha256.compute(sha256, buf, off, at, length, expected, 0);
        return Bytes.equalInConstantTime(expected, 0, buf, off + at + 4, length);
    }

    /**
     * The STUN Security Feature bits of the first NONCE's nonce cookie (RFC 8489 §9.2), or -1 when
     * there is no NONCE or it has no cookie; allocation-free. See {@link SecurityFeatures}.
     */
    public int securityFeatureBits() {
        int i = indexOf(AttributeType.NONCE);
        return i < 0 ? -1 : SecurityFeatures.bits(buf, off + offsets[i], lengths[i]);
    }

    // ---- typed values, for callers that keep them ----

    /** The typed record of attribute {@code i}; {@link RawAttribute} for types not understood. */
    public StunAttribute attribute(int i) {
        checkIndex(i);
        int at = types[i];
        int v = off + offsets[i];
        int al = lengths[i];
        return switch (at) {
            case AttributeType.MAPPED_ADDRESS -> new MappedAddress(address(i), addressPort(i));
            case AttributeType.XOR_MAPPED_ADDRESS -> new XorMappedAddress(address(i), addressPort(i));
            case AttributeType.RESPONSE_ORIGIN -> new ResponseOrigin(address(i), addressPort(i));
            case AttributeType.OTHER_ADDRESS -> new OtherAddress(address(i), addressPort(i));
            case AttributeType.ALTERNATE_SERVER -> new AlternateServer(address(i), addressPort(i));
            case AttributeType.SOURCE_ADDRESS -> new SourceAddress(address(i), addressPort(i));
            case AttributeType.CHANGED_ADDRESS -> new ChangedAddress(address(i), addressPort(i));
            case AttributeType.USERNAME -> new Username(text(v, al));
            case AttributeType.SOFTWARE -> new Software(text(v, al));
            case AttributeType.ERROR_CODE ->
                new ErrorCode((buf[v + 2] & 0x07) * 100 + (buf[v + 3] & 0xFF), text(v + 4, al - 4));
            case AttributeType.UNKNOWN_ATTRIBUTES -> {
                List<Integer> list = new ArrayList<>(al / 2);
                for (int k = 0; k < al; k += 2) {
                    list.add(Bytes.getShort(buf, v + k));
                }
                yield new UnknownAttributes(list);
            }
            case AttributeType.MESSAGE_INTEGRITY -> new MessageIntegrity(Arrays.copyOfRange(buf, v, v + al));
            case AttributeType.FINGERPRINT -> Fingerprint.INSTANCE;
            case AttributeType.CHANGE_REQUEST -> ChangeRequest.ofFlags(Bytes.getInt(buf, v));
            case AttributeType.RESPONSE_PORT -> new ResponsePort(Bytes.getShort(buf, v));
            case AttributeType.PADDING -> new Padding(al);
            case AttributeType.XOR_PEER_ADDRESS -> new XorPeerAddress(address(i), addressPort(i));
            case AttributeType.XOR_RELAYED_ADDRESS -> new XorRelayedAddress(address(i), addressPort(i));
            case AttributeType.CHANNEL_NUMBER -> new ChannelNumber(Bytes.getShort(buf, v));
            case AttributeType.LIFETIME -> new Lifetime(Bytes.getInt(buf, v) & 0xFFFFFFFFL);
            case AttributeType.DATA -> new Data(Arrays.copyOfRange(buf, v, v + al));
            case AttributeType.REQUESTED_ADDRESS_FAMILY ->
                new RequestedAddressFamily(AddressFamily.ofCode(buf[v] & 0xFF));
            case AttributeType.ADDITIONAL_ADDRESS_FAMILY ->
                new AdditionalAddressFamily(AddressFamily.ofCode(buf[v] & 0xFF));
            case AttributeType.EVEN_PORT -> new EvenPort((buf[v] & EvenPort.RESERVE) != 0);
            case AttributeType.REQUESTED_TRANSPORT -> new RequestedTransport(buf[v] & 0xFF);
            case AttributeType.DONT_FRAGMENT -> DontFragment.INSTANCE;
            case AttributeType.RESERVATION_TOKEN -> new ReservationToken(Bytes.getLong(buf, v));
            case AttributeType.ADDRESS_ERROR_CODE ->
                new AddressErrorCode(
                        AddressFamily.ofCode(buf[v] & 0xFF),
                        (buf[v + 2] & 0x07) * 100 + (buf[v + 3] & 0xFF),
                        text(v + 4, al - 4));
            case AttributeType.ICMP -> Icmp.ofWords(Bytes.getInt(buf, v), Bytes.getInt(buf, v + 4));
            case AttributeType.REALM -> new Realm(text(v, al));
            case AttributeType.NONCE -> new Nonce(text(v, al));
            case AttributeType.USERHASH -> new Userhash(Arrays.copyOfRange(buf, v, v + al));
            case AttributeType.MESSAGE_INTEGRITY_SHA256 ->
                new MessageIntegritySha256(Arrays.copyOfRange(buf, v, v + al));
            case AttributeType.PASSWORD_ALGORITHMS -> new PasswordAlgorithms(passwordAlgorithmList(v, al));
            case AttributeType.PASSWORD_ALGORITHM ->
                passwordAlgorithmList(v, al).getFirst();
            default -> new RawAttribute(at, Arrays.copyOfRange(buf, v, v + al));
        };
    }

    private List<PasswordAlgorithm> passwordAlgorithmList(int v, int al) {
        List<PasswordAlgorithm> list = new ArrayList<>();
        for (int q = v; q < v + al; ) {
            int parameters = Bytes.getShort(buf, q + 2);
            list.add(new PasswordAlgorithm(Bytes.getShort(buf, q), Arrays.copyOfRange(buf, q + 4, q + 4 + parameters)));
            q += 4 + parameters + Bytes.padding(parameters);
        }
        return list;
    }

    private InetAddress address(int i) {
        byte[] a = new byte[lengths[i] - 4];
        copyAddress(i, a, 0);
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("decode admitted an address of " + a.length + " bytes", e);
        }
    }

    private String text(int v, int n) {
        // decode() has checked these bytes are well-formed UTF-8, so this is exact.
        return new String(buf, v, n, StandardCharsets.UTF_8);
    }

    /** All kept attributes as typed records, in message order. */
    public List<StunAttribute> attributes() {
        List<StunAttribute> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(attribute(i));
        }
        return list;
    }

    /** The first attribute of record type {@code kind}, if any. */
    public <T extends StunAttribute> Optional<T> first(Class<T> kind, int type) {
        int i = indexOf(type);
        return i < 0 ? Optional.empty() : Optional.of(kind.cast(attribute(i)));
    }

    /** The first XOR-MAPPED-ADDRESS. */
    public Optional<XorMappedAddress> xorMappedAddress() {
        return first(XorMappedAddress.class, AttributeType.XOR_MAPPED_ADDRESS);
    }

    /** The first MAPPED-ADDRESS. */
    public Optional<MappedAddress> mappedAddress() {
        return first(MappedAddress.class, AttributeType.MAPPED_ADDRESS);
    }

    /** The first RESPONSE-ORIGIN. */
    public Optional<ResponseOrigin> responseOrigin() {
        return first(ResponseOrigin.class, AttributeType.RESPONSE_ORIGIN);
    }

    /** The first OTHER-ADDRESS. */
    public Optional<OtherAddress> otherAddress() {
        return first(OtherAddress.class, AttributeType.OTHER_ADDRESS);
    }

    /** The first ALTERNATE-SERVER. */
    public Optional<AlternateServer> alternateServer() {
        return first(AlternateServer.class, AttributeType.ALTERNATE_SERVER);
    }

    /** The first SOURCE-ADDRESS (RFC 3489). */
    public Optional<SourceAddress> sourceAddress() {
        return first(SourceAddress.class, AttributeType.SOURCE_ADDRESS);
    }

    /** The first CHANGED-ADDRESS (RFC 3489). */
    public Optional<ChangedAddress> changedAddress() {
        return first(ChangedAddress.class, AttributeType.CHANGED_ADDRESS);
    }

    /** The first ERROR-CODE. */
    public Optional<ErrorCode> errorCode() {
        return first(ErrorCode.class, AttributeType.ERROR_CODE);
    }

    /** The first UNKNOWN-ATTRIBUTES. */
    public Optional<UnknownAttributes> unknownAttributes() {
        return first(UnknownAttributes.class, AttributeType.UNKNOWN_ATTRIBUTES);
    }

    /** The first SOFTWARE. */
    public Optional<Software> software() {
        return first(Software.class, AttributeType.SOFTWARE);
    }

    /** The first USERNAME. */
    public Optional<Username> username() {
        return first(Username.class, AttributeType.USERNAME);
    }

    /** The first CHANGE-REQUEST. */
    public Optional<ChangeRequest> changeRequest() {
        return first(ChangeRequest.class, AttributeType.CHANGE_REQUEST);
    }

    /** The first MESSAGE-INTEGRITY. */
    public Optional<MessageIntegrity> messageIntegrity() {
        return first(MessageIntegrity.class, AttributeType.MESSAGE_INTEGRITY);
    }

    /** The first XOR-RELAYED-ADDRESS (RFC 8656). */
    public Optional<XorRelayedAddress> xorRelayedAddress() {
        return first(XorRelayedAddress.class, AttributeType.XOR_RELAYED_ADDRESS);
    }

    /** The first XOR-PEER-ADDRESS (RFC 8656). */
    public Optional<XorPeerAddress> xorPeerAddress() {
        return first(XorPeerAddress.class, AttributeType.XOR_PEER_ADDRESS);
    }

    /** The first LIFETIME (RFC 8656). */
    public Optional<Lifetime> lifetime() {
        return first(Lifetime.class, AttributeType.LIFETIME);
    }

    /** The first DATA (RFC 8656), copied. */
    public Optional<Data> data() {
        return first(Data.class, AttributeType.DATA);
    }

    /** The first ICMP (RFC 8656). */
    public Optional<Icmp> icmp() {
        return first(Icmp.class, AttributeType.ICMP);
    }

    /** The first REALM (RFC 8489 §14.9). */
    public Optional<Realm> realm() {
        return first(Realm.class, AttributeType.REALM);
    }

    /** The first NONCE (RFC 8489 §14.10). */
    public Optional<Nonce> nonce() {
        return first(Nonce.class, AttributeType.NONCE);
    }

    /** The first USERHASH (RFC 8489 §14.4). */
    public Optional<Userhash> userhash() {
        return first(Userhash.class, AttributeType.USERHASH);
    }

    /** The first PASSWORD-ALGORITHMS (RFC 8489 §14.11). */
    public Optional<PasswordAlgorithms> passwordAlgorithms() {
        return first(PasswordAlgorithms.class, AttributeType.PASSWORD_ALGORITHMS);
    }

    /** The first PASSWORD-ALGORITHM (RFC 8489 §14.12). */
    public Optional<PasswordAlgorithm> passwordAlgorithm() {
        return first(PasswordAlgorithm.class, AttributeType.PASSWORD_ALGORITHM);
    }

    /** The MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6). */
    public Optional<MessageIntegritySha256> messageIntegritySha256() {
        return first(MessageIntegritySha256.class, AttributeType.MESSAGE_INTEGRITY_SHA256);
    }

    /** The whole message as an immutable value. */
    public StunMessage toMessage() {
        return new StunMessage(messageClass(), method(), cookie, transactionId(), attributes());
    }
}
