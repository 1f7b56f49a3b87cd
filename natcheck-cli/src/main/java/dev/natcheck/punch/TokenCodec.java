package dev.natcheck.punch;

import dev.natcheck.behavior.EndpointDependence;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The token's text form: {@code nc.} and the base64url (no padding) of a small binary record, so
 * that a token is one line of at most {@link #MAX_TEXT} characters that survives chat windows.
 *
 * <h2>Version 1</h2>
 * <pre>
 * byte  0     version (1)
 * byte  1     bit 7 kind (0 offer, 1 answer), bit 6 birthday asked, bit 5 UDP answered,
 *             bits 4-3 translated (0 unknown, 1 no, 2 yes), bits 2-0 zero
 * byte  2     bits 7-6 mapping, bits 5-4 filtering (0 unknown, 1 endpoint-independent,
 *             2 address-dependent, 3 address-and-port-dependent), bits 3-2 port allocation
 *             (0 unknown, 1 reused, 2 sequential, 3 random), bits 1-0 zero
 * byte  3     port step, signed (sequential allocation only, else 0)
 * bytes 4-6   ICE username fragment (24 bits)
 * bytes 7-22  ICE password (128 bits)
 * byte  23    candidate count N (at most 15)
 * N times     bits 7-4 type (0 host, 1 server-reflexive, 2 predicted, 3 relayed),
 *             bits 3-0 family (4 IPv4, 6 IPv6), the address (4 or 16 bytes), the port (2 bytes)
 * last 4      CRC-32 of every byte before
 * </pre>
 * Relayed candidates are in the format already, so a TURN client adds them without a new version.
 * Reading checks the prefix, the characters, the version, the checksum, then every field, and
 * says which failed.
 */
public final class TokenCodec {

    /** The text every token starts with. */
    public static final String PREFIX = "nc.";
    /** The format this code writes and reads. */
    public static final int VERSION = 1;
    /** The longest token {@link #fit} lets out, in characters. */
    public static final int MAX_TEXT = 200;
    /** Input longer than this is refused before decoding. */
    static final int MAX_INPUT = 1000;

    static final int MAX_CANDIDATES = 15;
    private static final int HEADER = 24;
    private static final int CHECKSUM = 4;
    /** The smallest possible token: no candidate. */
    static final int MIN_BYTES = HEADER + CHECKSUM;

    private TokenCodec() {}

    /** The token's text; at most {@link #MAX_CANDIDATES} candidates. */
    public static String encode(Token token) {
        if (token.candidates().size() > MAX_CANDIDATES) {
            throw new IllegalArgumentException("at most " + MAX_CANDIDATES + " candidates in a token, not "
                    + token.candidates().size());
        }
        int size = HEADER + CHECKSUM;
        for (Candidate c : token.candidates()) {
            size += candidateSize(c.address().getAddress());
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        NatProfile p = token.profile();
        out.put((byte) VERSION);
        out.put((byte) ((token.kind() == Token.Kind.ANSWER ? 0x80 : 0)
                | (token.birthday() ? 0x40 : 0)
                | (p.udpAnswered() ? 0x20 : 0)
                | (p.translated().map(t -> t ? 2 : 1).orElse(0) << 3)));
        out.put((byte) ((dependenceCode(p.mapping()) << 6)
                | (dependenceCode(p.filtering()) << 4)
                | (p.ports().allocation().code() << 2)));
        out.put((byte) p.ports().step());
        out.put(Token.decodeCredential(token.ufrag()));
        out.put(Token.decodeCredential(token.password()));
        out.put((byte) token.candidates().size());
        for (Candidate c : token.candidates()) {
            byte[] address = c.address().getAddress().getAddress();
            out.put((byte) ((c.type().code() << 4) | (address.length == 4 ? 4 : 6)));
            out.put(address);
            out.putShort((short) c.address().getPort());
        }
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
    }

    /**
     * {@code token} with as many of its candidates, in order, as fit in {@link #MAX_TEXT}
     * characters (and {@link #MAX_CANDIDATES}): the caller lists the ones that matter most first.
     */
    public static Token fit(Token token) {
        int count = Math.min(token.candidates().size(), MAX_CANDIDATES);
        while (count > 0 && encode(token.withFirstCandidates(count)).length() > MAX_TEXT) {
            count--;
        }
        return token.withFirstCandidates(count);
    }

    /** Reads a token; whitespace anywhere in {@code text} (a wrapped line) is ignored. */
    public static Token decode(String text) throws TokenException {
        String compact = text.replaceAll("\\s+", "");
        if (compact.isEmpty()) {
            throw new TokenException("empty token");
        }
        if (compact.length() > MAX_INPUT) {
            throw new TokenException(
                    "token too long: " + compact.length() + " characters (a token has at most " + MAX_TEXT + ")");
        }
        if (!compact.startsWith(PREFIX)) {
            throw new TokenException("not a natcheck punch token: it does not start with '" + PREFIX + "'");
        }
        String body = compact.substring(PREFIX.length());
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            boolean base64url = (ch >= 'A' && ch <= 'Z')
                    || (ch >= 'a' && ch <= 'z')
                    || (ch >= '0' && ch <= '9')
                    || ch == '-'
                    || ch == '_';
            if (!base64url) {
                throw new TokenException(
                        "character '" + ch + "' at position " + (PREFIX.length() + i + 1) + " is not base64url");
            }
        }
        if (body.length() % 4 == 1) {
            throw new TokenException(
                    "truncated: " + body.length() + " characters after '" + PREFIX + "' cannot be whole bytes");
        }
        byte[] bytes = Base64.getUrlDecoder().decode(body);
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(body)) {
            // The last character carries bits beyond the last byte: a typo there, or a cut.
            throw new TokenException("character '" + body.charAt(body.length() - 1) + "' at position "
                    + (PREFIX.length() + body.length()) + " does not end a token (mistyped or cut short)");
        }
        if (bytes.length == 0) {
            throw new TokenException("truncated: nothing after '" + PREFIX + "'");
        }
        if (bytes[0] != VERSION) {
            throw new TokenException("token version " + (bytes[0] & 0xff) + "; this natcheck reads version " + VERSION);
        }
        if (bytes.length < MIN_BYTES) {
            throw new TokenException("truncated: " + bytes.length + " bytes, a token has at least " + MIN_BYTES);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - CHECKSUM);
        int expected = ByteBuffer.wrap(bytes, bytes.length - CHECKSUM, CHECKSUM).getInt();
        if ((int) crc.getValue() != expected) {
            throw new TokenException("checksum mismatch: the token was changed, mistyped or cut short");
        }
        return fields(ByteBuffer.wrap(bytes, 0, bytes.length - CHECKSUM));
    }

    private static Token fields(ByteBuffer in) throws TokenException {
        in.get(); // version, checked
        int flags = in.get() & 0xff;
        if ((flags & 0x07) != 0) {
            throw new TokenException("byte 1: reserved bits set (0x" + Integer.toHexString(flags) + ")");
        }
        Token.Kind kind = (flags & 0x80) != 0 ? Token.Kind.ANSWER : Token.Kind.OFFER;
        boolean birthday = (flags & 0x40) != 0;
        boolean udpAnswered = (flags & 0x20) != 0;
        int translatedCode = (flags >> 3) & 0x03;
        if (translatedCode == 3) {
            throw new TokenException("byte 1: translated has no value 3");
        }
        Optional<Boolean> translated = translatedCode == 0 ? Optional.empty() : Optional.of(translatedCode == 2);
        int behaviour = in.get() & 0xff;
        if ((behaviour & 0x03) != 0) {
            throw new TokenException("byte 2: reserved bits set (0x" + Integer.toHexString(behaviour) + ")");
        }
        Optional<EndpointDependence> mapping = dependence(behaviour >> 6);
        Optional<EndpointDependence> filtering = dependence((behaviour >> 4) & 0x03);
        PortAllocation allocation = PortAllocation.ofCode((behaviour >> 2) & 0x03);
        int step = in.get();
        PortPattern ports;
        NatProfile profile;
        try {
            ports = new PortPattern(allocation, step);
            profile = new NatProfile(udpAnswered, translated, mapping, filtering, ports);
        } catch (IllegalArgumentException e) {
            throw new TokenException("bytes 1-3: " + e.getMessage());
        }
        byte[] ufrag = new byte[Token.UFRAG_BYTES];
        in.get(ufrag);
        byte[] password = new byte[Token.PASSWORD_BYTES];
        in.get(password);
        int count = in.get() & 0xff;
        if (count > MAX_CANDIDATES) {
            throw new TokenException("byte " + (HEADER - 1) + ": " + count + " candidates, at most " + MAX_CANDIDATES);
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            candidates.add(candidate(in, i + 1));
        }
        if (in.hasRemaining()) {
            throw new TokenException(in.remaining() + " bytes after the last of " + count + " candidates");
        }
        return new Token(
                kind, profile, Token.encodeCredential(ufrag), Token.encodeCredential(password), birthday, candidates);
    }

    private static Candidate candidate(ByteBuffer in, int number) throws TokenException {
        int offset = in.position();
        if (!in.hasRemaining()) {
            throw new TokenException("truncated: candidate " + number + " missing at byte " + offset);
        }
        int head = in.get() & 0xff;
        CandidateType type = CandidateType.ofCode(head >> 4);
        if (type == null) {
            throw new TokenException("candidate " + number + " at byte " + offset + ": unknown type " + (head >> 4));
        }
        int family = head & 0x0f;
        if (family != 4 && family != 6) {
            throw new TokenException(
                    "candidate " + number + " at byte " + offset + ": unknown address family " + family);
        }
        byte[] address = new byte[family == 4 ? 4 : 16];
        if (in.remaining() < address.length + 2) {
            throw new TokenException("truncated: candidate " + number + " at byte " + offset + " needs "
                    + (address.length + 3) + " bytes, " + (in.remaining() + 1) + " left");
        }
        in.get(address);
        int port = in.getShort() & 0xffff;
        if (port == 0) {
            throw new TokenException("candidate " + number + " at byte " + offset + ": port 0");
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new TokenException("candidate " + number + " at byte " + offset + ": " + e.getMessage());
        }
        if (family == 6 && ip instanceof Inet4Address) {
            // An IPv4-mapped IPv6 address: Java folds it to IPv4, which would not re-encode the same.
            throw new TokenException("candidate " + number + " at byte " + offset
                    + ": an IPv4-mapped IPv6 address (send the IPv4 address)");
        }
        return new Candidate(type, new InetSocketAddress(ip, port));
    }

    private static int candidateSize(InetAddress address) {
        return 1 + (address instanceof Inet4Address ? 4 : 16) + 2;
    }

    private static int dependenceCode(Optional<EndpointDependence> value) {
        return value.map(d -> switch (d) {
                    case ENDPOINT_INDEPENDENT -> 1;
                    case ADDRESS_DEPENDENT -> 2;
                    case ADDRESS_AND_PORT_DEPENDENT -> 3;
                })
                .orElse(0);
    }

    private static Optional<EndpointDependence> dependence(int code) {
        return switch (code) {
            case 1 -> Optional.of(EndpointDependence.ENDPOINT_INDEPENDENT);
            case 2 -> Optional.of(EndpointDependence.ADDRESS_DEPENDENT);
            case 3 -> Optional.of(EndpointDependence.ADDRESS_AND_PORT_DEPENDENT);
            default -> Optional.empty();
        };
    }
}
