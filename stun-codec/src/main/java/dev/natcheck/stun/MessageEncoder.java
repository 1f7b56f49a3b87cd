package dev.natcheck.stun;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import javax.crypto.Mac;

/**
 * A reusable STUN message writer into a caller-supplied byte array:
 * {@code begin(...)}, then {@code add...} attributes in order, then {@link #finish(boolean)},
 * which returns the message length. With the {@code int}/{@code byte[]} overloads nothing is
 * allocated, which is what the server's answer path uses. Not thread-safe: one per thread.
 *
 * <p>Address attributes take the address as an int (IPv4), as a caller-owned array (4 or 16
 * bytes), or as an {@link InetAddress} (whose {@code getAddress()} allocates a copy). The XOR
 * of XOR-MAPPED-ADDRESS uses bytes 4..19 of the header being written (magic cookie, then
 * transaction id), as RFC 8489 §14.2 says.
 *
 * <p>Misuse (a buffer too small, a value out of range, an attribute after MESSAGE-INTEGRITY
 * other than MESSAGE-INTEGRITY-SHA256 or FINGERPRINT) throws an unchecked exception.
 */
public final class MessageEncoder {

    private static final int MAX_BODY = 0xFFFF;

    private final CRC32 crc = new CRC32();
    private Mac mac;
    private byte[] macKey;
    private Mac mac256;
    private byte[] mac256Key;

    private byte[] buf;
    private int off;
    private int pos;
    // The 32 bits at offset 4, kept so XOR-MAPPED-ADDRESS need not read back what was just written.
    private int cookie;
    // 0: open; 1: after MESSAGE-INTEGRITY; 2: after MESSAGE-INTEGRITY-SHA256; 3: finished.
    private int sealed = 3;

    /** Starts an RFC 8489 message with the magic cookie and transaction id {@code id}. */
    public MessageEncoder begin(byte[] buf, int off, MessageClass messageClass, Method method, TransactionId id) {
        start(buf, off, messageClass, method, MessageHeader.MAGIC_COOKIE);
        id.writeTo(buf, off + MessageHeader.TRANSACTION_ID_OFFSET);
        return this;
    }

    /**
     * Starts an RFC 8489 message whose 12-byte transaction id is copied from
     * {@code id[idOff ..]}; allocation-free. {@code id} may be this very buffer (in place).
     */
    public MessageEncoder begin(byte[] buf, int off, MessageClass messageClass, Method method, byte[] id, int idOff) {
        copyTransactionId(id, idOff, buf, off);
        start(buf, off, messageClass, method, MessageHeader.MAGIC_COOKIE);
        return this;
    }

    /**
     * Starts a message with an explicit value for the 32 bits at offset 4: the magic cookie, or
     * for an RFC 3489 message the first 4 bytes of its 16-byte transaction id.
     */
    public MessageEncoder begin(
            byte[] buf, int off, MessageClass messageClass, Method method, int cookie, TransactionId id) {
        start(buf, off, messageClass, method, cookie);
        id.writeTo(buf, off + MessageHeader.TRANSACTION_ID_OFFSET);
        return this;
    }

    /**
     * Starts the answer to {@code request}: same method, same cookie field and transaction id
     * (so an RFC 3489 request gets its whole 16-byte id back), class {@code messageClass};
     * allocation-free. {@code buf} may be the request's own buffer: read the request first.
     */
    public MessageEncoder beginResponse(byte[] buf, int off, MessageClass messageClass, MessageView request) {
        copyTransactionId(request.buffer(), request.offset() + MessageHeader.TRANSACTION_ID_OFFSET, buf, off);
        start(buf, off, messageClass, request.method(), request.cookie());
        return this;
    }

    // Both loads before both stores, so id may be the destination itself. For these 12 bytes
    // C2 compiled System.arraycopy into a call to its copy stub (perfasm, JDK 25).
    private static void copyTransactionId(byte[] id, int idOff, byte[] buf, int off) {
        checkRoom(buf, off, MessageHeader.SIZE);
        long high = Bytes.getLong(id, idOff);
        int low = Bytes.getInt(id, idOff + 8);
        Bytes.putLong(buf, off + MessageHeader.TRANSACTION_ID_OFFSET, high);
        Bytes.putInt(buf, off + MessageHeader.TRANSACTION_ID_OFFSET + 8, low);
    }

    private void start(byte[] buf, int off, MessageClass messageClass, Method method, int cookie) {
        checkRoom(buf, off, MessageHeader.SIZE);
        this.buf = buf;
        this.off = off;
        this.pos = MessageHeader.SIZE;
        this.sealed = 0;
        this.cookie = cookie;
        // Type, a zero length (finish writes the real one) and the cookie field in one store.
        Bytes.putLong(
                buf, off, (long) MessageHeader.messageType(messageClass, method.code()) << 48 | cookie & 0xFFFFFFFFL);
    }

    private static void checkRoom(byte[] buf, int off, int n) {
        if (off < 0 || off > buf.length - n) {
            throw new IllegalArgumentException(
                    "buffer of " + buf.length + " bytes has no room for " + n + " bytes at offset " + off);
        }
    }

    /** Bytes written so far, header included. */
    public int length() {
        return pos;
    }

    /**
     * Writes an attribute header for a value of {@code valueLength} bytes, zeroes its padding,
     * and returns the absolute offset of the value.
     */
    private int attribute(int type, int valueLength) {
        if (sealed != 0) {
            boolean allowed = sealed == 1 && type == AttributeType.MESSAGE_INTEGRITY_SHA256;
            if (!allowed) {
                throw new IllegalStateException(
                        sealed == 3
                                ? "no message begun, or already finished"
                                : AttributeType.name(type)
                                        + " after MESSAGE-INTEGRITY would be ignored by receivers (RFC 8489 §14.5)");
            }
        }
        if (valueLength < 0 || valueLength > 0xFFFF) {
            throw new IllegalArgumentException(
                    AttributeType.name(type) + " value of " + valueLength + " bytes, must be 0..65535");
        }
        int padded = 4 + valueLength + Bytes.padding(valueLength);
        if (pos - MessageHeader.SIZE + padded > MAX_BODY) {
            throw new IllegalArgumentException(
                    AttributeType.name(type) + " would make the message body longer than 65535 bytes");
        }
        checkRoom(buf, off + pos, padded);
        int p = off + pos;
        Bytes.putInt(buf, p, type << 16 | valueLength);
        for (int k = p + 4 + valueLength; k < p + padded; k++) {
            buf[k] = 0;
        }
        pos += padded;
        return p + 4;
    }

    // ---- address attributes ----

    /** A plain address attribute (MAPPED-ADDRESS, RESPONSE-ORIGIN, OTHER-ADDRESS, ...) for an IPv4 address. */
    public MessageEncoder addAddress(int type, int ipv4, int port) {
        int v = addressHeader(type, AddressFamily.IPV4, port);
        Bytes.putInt(buf, v + 4, ipv4);
        return this;
    }

    /** A plain address attribute; {@code addr[addrOff .. addrOff+addrLen)} is 4 or 16 bytes. */
    public MessageEncoder addAddress(int type, byte[] addr, int addrOff, int addrLen, int port) {
        int v = addressHeader(type, family(addrLen), port);
        System.arraycopy(addr, addrOff, buf, v + 4, addrLen);
        return this;
    }

    /** A plain address attribute (allocates: {@code getAddress()} copies). */
    public MessageEncoder addAddress(int type, InetAddress address, int port) {
        byte[] a = address.getAddress();
        return addAddress(type, a, 0, a.length, port);
    }

    /** An XOR-obfuscated address attribute (RFC 8489 §14.2) for an IPv4 address. */
    public MessageEncoder addXorAddress(int type, int ipv4, int port) {
        checkPort(port);
        int v = attribute(type, AddressFamily.IPV4.attributeLength());
        // Reserved 0, family, port and address in one store.
        Bytes.putLong(
                buf,
                v,
                (long) (AddressFamily.IPV4.code() << 16 | (port ^ cookie >>> 16)) << 32
                        | (ipv4 ^ cookie) & 0xFFFFFFFFL);
        return this;
    }

    /** An XOR-obfuscated address attribute; {@code addr[addrOff .. addrOff+addrLen)} is 4 or 16 bytes. */
    public MessageEncoder addXorAddress(int type, byte[] addr, int addrOff, int addrLen, int port) {
        int v = addressHeader(type, family(addrLen), port ^ cookie >>> 16);
        for (int k = 0; k < addrLen; k++) {
            buf[v + 4 + k] = (byte) (addr[addrOff + k] ^ buf[off + 4 + k]);
        }
        return this;
    }

    /** An XOR-obfuscated address attribute (allocates: {@code getAddress()} copies). */
    public MessageEncoder addXorAddress(int type, InetAddress address, int port) {
        byte[] a = address.getAddress();
        return addXorAddress(type, a, 0, a.length, port);
    }

    private int addressHeader(int type, AddressFamily family, int port) {
        checkPort(port);
        int v = attribute(type, family.attributeLength());
        Bytes.putInt(buf, v, family.code() << 16 | port);
        return v;
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
    }

    private static AddressFamily family(int addrLen) {
        return switch (addrLen) {
            case 4 -> AddressFamily.IPV4;
            case 16 -> AddressFamily.IPV6;
            default -> throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + addrLen);
        };
    }

    /** XOR-MAPPED-ADDRESS for an IPv4 address given as an int; allocation-free. */
    public MessageEncoder addXorMappedAddress(int ipv4, int port) {
        return addXorAddress(AttributeType.XOR_MAPPED_ADDRESS, ipv4, port);
    }

    /** XOR-MAPPED-ADDRESS for a 4- or 16-byte address in a caller-owned array; allocation-free. */
    public MessageEncoder addXorMappedAddress(byte[] addr, int addrOff, int addrLen, int port) {
        return addXorAddress(AttributeType.XOR_MAPPED_ADDRESS, addr, addrOff, addrLen, port);
    }

    /** XOR-MAPPED-ADDRESS. */
    public MessageEncoder addXorMappedAddress(InetAddress address, int port) {
        return addXorAddress(AttributeType.XOR_MAPPED_ADDRESS, address, port);
    }

    /** MAPPED-ADDRESS for an IPv4 address given as an int; allocation-free. */
    public MessageEncoder addMappedAddress(int ipv4, int port) {
        return addAddress(AttributeType.MAPPED_ADDRESS, ipv4, port);
    }

    /** MAPPED-ADDRESS for a 4- or 16-byte address in a caller-owned array; allocation-free. */
    public MessageEncoder addMappedAddress(byte[] addr, int addrOff, int addrLen, int port) {
        return addAddress(AttributeType.MAPPED_ADDRESS, addr, addrOff, addrLen, port);
    }

    /** MAPPED-ADDRESS. */
    public MessageEncoder addMappedAddress(InetAddress address, int port) {
        return addAddress(AttributeType.MAPPED_ADDRESS, address, port);
    }

    /** RESPONSE-ORIGIN for an IPv4 address given as an int; allocation-free. */
    public MessageEncoder addResponseOrigin(int ipv4, int port) {
        return addAddress(AttributeType.RESPONSE_ORIGIN, ipv4, port);
    }

    /** RESPONSE-ORIGIN for a 4- or 16-byte address in a caller-owned array; allocation-free. */
    public MessageEncoder addResponseOrigin(byte[] addr, int addrOff, int addrLen, int port) {
        return addAddress(AttributeType.RESPONSE_ORIGIN, addr, addrOff, addrLen, port);
    }

    /** RESPONSE-ORIGIN. */
    public MessageEncoder addResponseOrigin(InetAddress address, int port) {
        return addAddress(AttributeType.RESPONSE_ORIGIN, address, port);
    }

    /** OTHER-ADDRESS for an IPv4 address given as an int; allocation-free. */
    public MessageEncoder addOtherAddress(int ipv4, int port) {
        return addAddress(AttributeType.OTHER_ADDRESS, ipv4, port);
    }

    /** OTHER-ADDRESS for a 4- or 16-byte address in a caller-owned array; allocation-free. */
    public MessageEncoder addOtherAddress(byte[] addr, int addrOff, int addrLen, int port) {
        return addAddress(AttributeType.OTHER_ADDRESS, addr, addrOff, addrLen, port);
    }

    /** OTHER-ADDRESS. */
    public MessageEncoder addOtherAddress(InetAddress address, int port) {
        return addAddress(AttributeType.OTHER_ADDRESS, address, port);
    }

    /** XOR-PEER-ADDRESS (RFC 8656 §18.3) for an IPv4 address given as an int; allocation-free. */
    public MessageEncoder addXorPeerAddress(int ipv4, int port) {
        return addXorAddress(AttributeType.XOR_PEER_ADDRESS, ipv4, port);
    }

    /** XOR-PEER-ADDRESS for a 4- or 16-byte address in a caller-owned array; allocation-free. */
    public MessageEncoder addXorPeerAddress(byte[] addr, int addrOff, int addrLen, int port) {
        return addXorAddress(AttributeType.XOR_PEER_ADDRESS, addr, addrOff, addrLen, port);
    }

    /** XOR-PEER-ADDRESS. */
    public MessageEncoder addXorPeerAddress(InetAddress address, int port) {
        return addXorAddress(AttributeType.XOR_PEER_ADDRESS, address, port);
    }

    /** XOR-RELAYED-ADDRESS (RFC 8656 §18.5) for an IPv4 address given as an int; allocation-free. */
    public MessageEncoder addXorRelayedAddress(int ipv4, int port) {
        return addXorAddress(AttributeType.XOR_RELAYED_ADDRESS, ipv4, port);
    }

    /** XOR-RELAYED-ADDRESS for a 4- or 16-byte address in a caller-owned array; allocation-free. */
    public MessageEncoder addXorRelayedAddress(byte[] addr, int addrOff, int addrLen, int port) {
        return addXorAddress(AttributeType.XOR_RELAYED_ADDRESS, addr, addrOff, addrLen, port);
    }

    /** XOR-RELAYED-ADDRESS. */
    public MessageEncoder addXorRelayedAddress(InetAddress address, int port) {
        return addXorAddress(AttributeType.XOR_RELAYED_ADDRESS, address, port);
    }

    // ---- TURN attributes (RFC 8656 §18) ----

    /** CHANNEL-NUMBER: {@code number} (0x4000..0x4FFF), then two zero bytes. */
    public MessageEncoder addChannelNumber(int number) {
        if (!ChannelNumber.isValid(number)) {
            throw new IllegalArgumentException(
                    String.format("channel number must be 0x4000..0x4fff, got 0x%04x", number));
        }
        int v = attribute(AttributeType.CHANNEL_NUMBER, 4);
        Bytes.putInt(buf, v, number << 16);
        return this;
    }

    /** LIFETIME in seconds, 0..2^32-1 (0 in a Refresh deletes the allocation). */
    public MessageEncoder addLifetime(long seconds) {
        if (seconds < 0 || seconds > Lifetime.MAX) {
            throw new IllegalArgumentException("lifetime must be 0..4294967295 seconds, got " + seconds);
        }
        int v = attribute(AttributeType.LIFETIME, 4);
        Bytes.putInt(buf, v, (int) seconds);
        return this;
    }

    /** DATA copied from {@code data[dataOff .. dataOff+dataLen)}; allocation-free. */
    public MessageEncoder addData(byte[] data, int dataOff, int dataLen) {
        return addRaw(AttributeType.DATA, data, dataOff, dataLen);
    }

    /** REQUESTED-ADDRESS-FAMILY: the family byte, then three zero bytes. */
    public MessageEncoder addRequestedAddressFamily(AddressFamily family) {
        return addFamily(AttributeType.REQUESTED_ADDRESS_FAMILY, family);
    }

    /** ADDITIONAL-ADDRESS-FAMILY: the family byte (IPv6 is the one valid request), then three zero bytes. */
    public MessageEncoder addAdditionalAddressFamily(AddressFamily family) {
        return addFamily(AttributeType.ADDITIONAL_ADDRESS_FAMILY, family);
    }

    private MessageEncoder addFamily(int type, AddressFamily family) {
        int v = attribute(type, 4);
        Bytes.putInt(buf, v, family.code() << 24);
        return this;
    }

    /** EVEN-PORT, with the R bit when {@code reserveNext}. */
    public MessageEncoder addEvenPort(boolean reserveNext) {
        int v = attribute(AttributeType.EVEN_PORT, 1);
        buf[v] = (byte) (reserveNext ? EvenPort.RESERVE : 0);
        return this;
    }

    /** REQUESTED-TRANSPORT: the IP protocol number ({@link RequestedTransport#UDP}), then three zero bytes. */
    public MessageEncoder addRequestedTransport(int protocol) {
        if (protocol < 0 || protocol > 0xFF) {
            throw new IllegalArgumentException("protocol must be 0..255, got " + protocol);
        }
        int v = attribute(AttributeType.REQUESTED_TRANSPORT, 4);
        Bytes.putInt(buf, v, protocol << 24);
        return this;
    }

    /** DONT-FRAGMENT (no value). */
    public MessageEncoder addDontFragment() {
        attribute(AttributeType.DONT_FRAGMENT, 0);
        return this;
    }

    /** RESERVATION-TOKEN, the eight bytes of {@code token}. */
    public MessageEncoder addReservationToken(long token) {
        int v = attribute(AttributeType.RESERVATION_TOKEN, 8);
        Bytes.putLong(buf, v, token);
        return this;
    }

    /** ADDRESS-ERROR-CODE for {@code family}: a code 300..699 and a reason phrase; allocation-free. */
    public MessageEncoder addAddressErrorCode(AddressFamily family, int code, String reason) {
        int v = errorCode(AttributeType.ADDRESS_ERROR_CODE, code, reason);
        buf[v] = (byte) family.code();
        return this;
    }

    /** ICMP: a 7-bit ICMP type, a 9-bit ICMP code and 32 bits of error data. */
    public MessageEncoder addIcmp(int icmpType, int icmpCode, int errorData) {
        Icmp icmp = new Icmp(icmpType, icmpCode, errorData); // range checks
        int v = attribute(AttributeType.ICMP, 8);
        Bytes.putInt(buf, v, icmp.typeAndCode());
        Bytes.putInt(buf, v + 4, errorData);
        return this;
    }

    // ---- other attributes ----

    /** ERROR-CODE with a code 300..699 and a reason phrase; allocation-free. */
    public MessageEncoder addErrorCode(int code, String reason) {
        errorCode(AttributeType.ERROR_CODE, code, reason);
        return this;
    }

    /** Writes the ERROR-CODE layout with zero reserved bits and returns the value's offset. */
    private int errorCode(int type, int code, String reason) {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("error code must be 300..699, got " + code);
        }
        int v = attribute(type, 4 + Utf8.length(reason));
        Bytes.putShort(buf, v, 0);
        buf[v + 2] = (byte) (code / 100);
        buf[v + 3] = (byte) (code % 100);
        Utf8.write(reason, buf, v + 4);
        return v;
    }

    /** UNKNOWN-ATTRIBUTES listing {@code types[0 .. count)}. */
    public MessageEncoder addUnknownAttributes(int[] types, int count) {
        int v = attribute(AttributeType.UNKNOWN_ATTRIBUTES, 2 * count);
        for (int i = 0; i < count; i++) {
            Bytes.putShort(buf, v + 2 * i, types[i]);
        }
        return this;
    }

    /** UNKNOWN-ATTRIBUTES listing the request's unknown comprehension-required types; allocation-free. */
    public MessageEncoder addUnknownAttributes(MessageView request) {
        int n = request.unknownComprehensionRequiredCount();
        int v = attribute(AttributeType.UNKNOWN_ATTRIBUTES, 2 * n);
        for (int i = 0; i < n; i++) {
            Bytes.putShort(buf, v + 2 * i, request.unknownComprehensionRequired(i));
        }
        return this;
    }

    /** SOFTWARE, written as UTF-8 without allocating. */
    public MessageEncoder addSoftware(String software) {
        return addText(AttributeType.SOFTWARE, software);
    }

    /** USERNAME, written as UTF-8 without allocating. */
    public MessageEncoder addUsername(String username) {
        return addText(AttributeType.USERNAME, username);
    }

    private MessageEncoder addText(int type, String text) {
        int v = attribute(type, Utf8.length(text));
        Utf8.write(text, buf, v);
        return this;
    }

    /** PADDING with {@code length} zero bytes (RFC 5780 §7.6). */
    public MessageEncoder addPadding(int length) {
        int v = attribute(AttributeType.PADDING, length);
        for (int k = 0; k < length; k++) {
            buf[v + k] = 0;
        }
        return this;
    }

    /** CHANGE-REQUEST with flags {@link ChangeRequest#CHANGE_IP} and/or {@link ChangeRequest#CHANGE_PORT}. */
    public MessageEncoder addChangeRequest(int flags) {
        int v = attribute(AttributeType.CHANGE_REQUEST, 4);
        Bytes.putInt(buf, v, flags);
        return this;
    }

    /** CHANGE-REQUEST. */
    public MessageEncoder addChangeRequest(boolean changeIp, boolean changePort) {
        return addChangeRequest(new ChangeRequest(changeIp, changePort).flags());
    }

    /** RESPONSE-PORT in the RFC 5780 §7.5 form: the port, then 2 bytes of padding. */
    public MessageEncoder addResponsePort(int port) {
        checkPort(port);
        int v = attribute(AttributeType.RESPONSE_PORT, 4);
        Bytes.putInt(buf, v, port << 16);
        return this;
    }

    /** Any attribute, value copied from {@code value[valueOff .. valueOff+valueLen)}. */
    public MessageEncoder addRaw(int type, byte[] value, int valueOff, int valueLen) {
        int v = attribute(type, valueLen);
        System.arraycopy(value, valueOff, buf, v, valueLen);
        return this;
    }

    /**
     * MESSAGE-INTEGRITY: HMAC-SHA1 under {@code key} over everything written so far (RFC 8489
     * §14.5). Only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT may follow.
     */
    public MessageEncoder addMessageIntegrity(byte[] key) {
        if (mac == null || macKey != key) {
            // Re-keying allocates; the same key array on consecutive calls reuses the Mac.
            mac = MessageIntegrity.hmacSha1(key);
            macKey = key;
        }
        int integrityOffset = pos;
        int v = attribute(AttributeType.MESSAGE_INTEGRITY, MessageIntegrity.LENGTH);
        MessageIntegrity.compute(mac, buf, off, integrityOffset, buf, v);
        sealed = 1;
        return this;
    }

    /**
     * MESSAGE-INTEGRITY-SHA256: the full 32-byte HMAC-SHA256 under {@code key} over everything
     * written so far (RFC 8489 §14.6). Only FINGERPRINT may follow.
     */
    public MessageEncoder addMessageIntegritySha256(byte[] key) {
        return addMessageIntegritySha256(key, MessageIntegritySha256.LENGTH);
    }

    /**
     * MESSAGE-INTEGRITY-SHA256 truncated to {@code length} bytes (16..32, a multiple of 4), for
     * usages that allow it (RFC 8489 §14.6).
     */
    public MessageEncoder addMessageIntegritySha256(byte[] key, int length) {
        if (!MessageIntegritySha256.isValidLength(length)) {
            throw new IllegalArgumentException(
                    "MESSAGE-INTEGRITY-SHA256 must be 16..32 bytes, a multiple of 4, got " + length);
        }
        if (mac256 == null || mac256Key != key) {
            mac256 = MessageIntegritySha256.hmacSha256(key);
            mac256Key = key;
        }
        int integrityOffset = pos;
        int v = attribute(AttributeType.MESSAGE_INTEGRITY_SHA256, length);
        MessageIntegritySha256.compute(mac256, buf, off, integrityOffset, length, buf, v);
        sealed = 2;
        return this;
    }

    // ---- long-term credentials (RFC 8489 §9.2) ----

    /** REALM, written as UTF-8 without allocating. */
    public MessageEncoder addRealm(String realm) {
        return addText(AttributeType.REALM, realm);
    }

    /** NONCE, written as UTF-8 without allocating. */
    public MessageEncoder addNonce(String nonce) {
        return addText(AttributeType.NONCE, nonce);
    }

    /** USERHASH: the 32 bytes {@code hash[hashOff ..]} (see {@link Userhash#of}). */
    public MessageEncoder addUserhash(byte[] hash, int hashOff) {
        return addRaw(AttributeType.USERHASH, hash, hashOff, Userhash.LENGTH);
    }

    /** PASSWORD-ALGORITHMS, the entries in order. */
    public MessageEncoder addPasswordAlgorithms(PasswordAlgorithms algorithms) {
        int v = attribute(AttributeType.PASSWORD_ALGORITHMS, algorithms.encodedLength());
        for (int i = 0; i < algorithms.algorithms().size(); i++) {
            v = algorithms.algorithms().get(i).writeTo(buf, v);
        }
        return this;
    }

    /** PASSWORD-ALGORITHM. */
    public MessageEncoder addPasswordAlgorithm(PasswordAlgorithm algorithm) {
        int v = attribute(AttributeType.PASSWORD_ALGORITHM, algorithm.encodedLength());
        algorithm.writeTo(buf, v);
        return this;
    }

    /**
     * What a long-term-credential request carries besides its seal (RFC 8489 §9.2.5): USERNAME or
     * USERHASH, NONCE, REALM, and PASSWORD-ALGORITHMS with PASSWORD-ALGORITHM when the server
     * offered algorithms. Then add the method's own attributes and {@link
     * #addMessageIntegrity(LongTermCredentials)}.
     */
    public MessageEncoder addCredentials(LongTermCredentials credentials) {
        if (credentials.anonymous()) {
            addUserhash(credentials.userhashArray(), 0);
        } else {
            addUsername(credentials.username());
        }
        // NONCE before REALM, the order of the RFC 5769 §2.4 and RFC 8489 B.1 vectors.
        addNonce(credentials.nonce());
        addRealm(credentials.realm());
        Optional<PasswordAlgorithms> offered = credentials.passwordAlgorithms();
        if (offered.isPresent()) { // not ifPresent(this::...): a bound method reference allocates
            addPasswordAlgorithms(offered.get());
        }
        PasswordAlgorithm chosen = credentials.algorithmOrNull();
        if (chosen != null) {
            addPasswordAlgorithm(chosen);
        }
        return this;
    }

    /**
     * Seals the request with the credentials' key: MESSAGE-INTEGRITY-SHA256 when the server
     * offered PASSWORD-ALGORITHMS, MESSAGE-INTEGRITY otherwise (RFC 8489 §9.2.5).
     */
    public MessageEncoder addMessageIntegrity(LongTermCredentials credentials) {
        return credentials.sha256()
                ? addMessageIntegritySha256(credentials.keyArray())
                : addMessageIntegrity(credentials.keyArray());
    }

    /** A typed attribute record. A {@link Fingerprint} is not accepted here: use {@link #finish(boolean)}. */
    public MessageEncoder add(StunAttribute attribute) {
        switch (attribute) {
            case AddressAttribute a
            when AttributeType.isXorAddress(a.type()) -> addXorAddress(a.type(), a.address(), a.port());
            case AddressAttribute a -> addAddress(a.type(), a.address(), a.port());
            case Username u -> addUsername(u.value());
            case Software s -> addSoftware(s.value());
            case ErrorCode e -> addErrorCode(e.code(), e.reason());
            case UnknownAttributes u -> {
                List<Integer> types = u.types();
                int v = attribute(AttributeType.UNKNOWN_ATTRIBUTES, 2 * types.size());
                for (int i = 0; i < types.size(); i++) {
                    Bytes.putShort(buf, v + 2 * i, types.get(i));
                }
            }
            case MessageIntegrity m -> {
                // The HMAC as given: re-encoding a decoded message keeps what the sender wrote.
                int v = attribute(AttributeType.MESSAGE_INTEGRITY, MessageIntegrity.LENGTH);
                m.copyHmac(buf, v);
                sealed = 1;
            }
            case ChangeRequest c -> addChangeRequest(c.flags());
            case ResponsePort r -> addResponsePort(r.port());
            case Padding p -> addPadding(p.length());
            case ChannelNumber c -> addChannelNumber(c.number());
            case Lifetime l -> addLifetime(l.seconds());
            case Data d -> {
                int v = attribute(AttributeType.DATA, d.length());
                d.copyValue(buf, v);
            }
            case RequestedAddressFamily r -> addRequestedAddressFamily(r.family());
            case AdditionalAddressFamily a -> addAdditionalAddressFamily(a.family());
            case EvenPort e -> addEvenPort(e.reserveNext());
            case RequestedTransport r -> addRequestedTransport(r.protocol());
            case DontFragment d -> addDontFragment();
            case ReservationToken r -> addReservationToken(r.token());
            case AddressErrorCode a -> addAddressErrorCode(a.family(), a.code(), a.reason());
            case Icmp i -> addIcmp(i.icmpType(), i.icmpCode(), i.errorData());
            case Realm r -> addRealm(r.value());
            case Nonce n -> addNonce(n.value());
            case Userhash u -> {
                int v = attribute(AttributeType.USERHASH, Userhash.LENGTH);
                u.copyHash(buf, v);
            }
            case PasswordAlgorithms p -> addPasswordAlgorithms(p);
            case PasswordAlgorithm p -> addPasswordAlgorithm(p);
            case MessageIntegritySha256 m -> {
                // The HMAC as given, as for MESSAGE-INTEGRITY.
                int v = attribute(AttributeType.MESSAGE_INTEGRITY_SHA256, m.length());
                m.copyHmac(buf, v);
                sealed = 2;
            }
            case RawAttribute r -> {
                int v = attribute(r.type(), r.length());
                r.copyValue(buf, v);
                if (r.type() == AttributeType.MESSAGE_INTEGRITY_SHA256) {
                    sealed = 2;
                }
            }
            case Fingerprint f -> throw new IllegalArgumentException("FINGERPRINT is written by finish(true)");
        }
        return this;
    }

    /**
     * Completes the message: optionally appends FINGERPRINT (RFC 8489 §14.7), writes the final
     * length into the header, and returns the message length in bytes.
     */
    public int finish(boolean withFingerprint) {
        if (sealed == 3) {
            throw new IllegalStateException("no message begun, or already finished");
        }
        if (withFingerprint) {
            int p = pos;
            sealed = 0;
            int v = attribute(AttributeType.FINGERPRINT, 4);
            Bytes.putShort(buf, off + 2, pos - MessageHeader.SIZE);
            Bytes.putInt(buf, v, Fingerprint.compute(crc, buf, off, p));
        } else {
            Bytes.putShort(buf, off + 2, pos - MessageHeader.SIZE);
        }
        sealed = 3;
        return pos;
    }
}
