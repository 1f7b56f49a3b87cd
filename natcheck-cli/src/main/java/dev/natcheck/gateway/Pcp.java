package dev.natcheck.gateway;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * PCP (RFC 6887) messages natcheck sends and reads: ANNOUNCE, and MAP for UDP with its deletion.
 * IPv4 addresses travel as IPv4-mapped IPv6 addresses (section 5).
 */
final class Pcp {

    /** PCP version (RFC 6887 section 7.1). */
    static final int VERSION = 2;
    /** Opcodes (RFC 6887 section 19.2). */
    static final int OPCODE_ANNOUNCE = 0;

    static final int OPCODE_MAP = 1;
    /** The R bit: set in responses (RFC 6887 section 7.2). */
    static final int RESPONSE_BIT = 0x80;
    /** Request and response headers are 24 bytes (RFC 6887 sections 7.1, 7.2). */
    static final int HEADER_LENGTH = 24;
    /** MAP opcode-specific data: nonce, protocol, ports, address (RFC 6887 section 11.1). */
    static final int MAP_LENGTH = 36;
    /** No PCP message is longer (RFC 6887 section 7). */
    static final int MAX_MESSAGE_LENGTH = 1100;
    /** Mapping nonce length (RFC 6887 section 11.1). */
    static final int NONCE_LENGTH = 12;
    /** IANA protocol number of UDP, the MAP's protocol field. */
    static final int PROTOCOL_UDP = 17;

    private Pcp() {}

    /** The ANNOUNCE request: a bare header, lifetime 0 (RFC 6887 section 14.1). */
    static byte[] announce(InetAddress client) {
        return header(OPCODE_ANNOUNCE, 0, client, HEADER_LENGTH).array();
    }

    /**
     * A MAP request for UDP from {@code internalPort}, no suggested external port or address (all
     * zeros); lifetime 0 deletes the mapping the same nonce created (RFC 6887 section 15).
     */
    static byte[] map(InetAddress client, byte[] nonce, int internalPort, long lifetime) {
        ByteBuffer buffer = header(OPCODE_MAP, lifetime, client, HEADER_LENGTH + MAP_LENGTH);
        buffer.put(nonce);
        buffer.put((byte) PROTOCOL_UDP);
        buffer.put(new byte[3]);
        buffer.putShort((short) internalPort);
        buffer.putShort((short) 0);
        buffer.put(mapped(zeroAddress()));
        return buffer.array();
    }

    private static ByteBuffer header(int opcode, long lifetime, InetAddress client, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        buffer.put((byte) VERSION);
        buffer.put((byte) opcode);
        buffer.putShort((short) 0);
        buffer.putInt((int) lifetime);
        buffer.put(mapped(client));
        return buffer;
    }

    /**
     * A response header and, for MAP, its data.
     *
     * @param map the MAP data; empty for other opcodes
     */
    record Response(int opcode, int resultCode, long lifetime, long epoch, Optional<MapData> map) {}

    /** MAP response data (RFC 6887 section 11.2). */
    record MapData(byte[] nonce, int protocol, int internalPort, int externalPort, InetAddress external) {

        /**
         * The external address the gateway named, unless it is all zeros (what natcheck suggested,
         * and what RFC 6887 section 11.2 has an error response copy back).
         */
        Optional<InetAddress> namedExternal() {
            return external.isAnyLocalAddress() ? Optional.empty() : Optional.of(external);
        }
    }

    /**
     * Reads a PCP version 2 response.
     *
     * @throws MalformedAnswerException when it is not one
     */
    static Response parse(byte[] bytes, int length) throws MalformedAnswerException {
        if (length < HEADER_LENGTH) {
            throw new MalformedAnswerException("PCP response of " + length + " bytes, shorter than its header", 0);
        }
        if (length > MAX_MESSAGE_LENGTH || length % 4 != 0) {
            throw new MalformedAnswerException("PCP response of " + length + " bytes, not a multiple of 4 up to 1100");
        }
        if ((bytes[0] & 0xFF) != VERSION) {
            throw new MalformedAnswerException("PCP version " + (bytes[0] & 0xFF) + ", expected 2", 0);
        }
        if ((bytes[1] & RESPONSE_BIT) == 0) {
            throw new MalformedAnswerException("a PCP request, not a response (R bit clear)", 1);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
        int opcode = bytes[1] & 0x7F;
        int result = bytes[3] & 0xFF;
        long lifetime = Integer.toUnsignedLong(buffer.getInt(4));
        long epoch = Integer.toUnsignedLong(buffer.getInt(8));
        if (opcode != OPCODE_MAP) {
            return new Response(opcode, result, lifetime, epoch, Optional.empty());
        }
        if (length < HEADER_LENGTH + MAP_LENGTH) {
            throw new MalformedAnswerException(
                    "PCP MAP response of " + length + " bytes, shorter than 60", HEADER_LENGTH);
        }
        byte[] nonce = Arrays.copyOfRange(bytes, HEADER_LENGTH, HEADER_LENGTH + NONCE_LENGTH);
        int protocol = bytes[HEADER_LENGTH + 12] & 0xFF;
        int internalPort = Short.toUnsignedInt(buffer.getShort(HEADER_LENGTH + 16));
        int externalPort = Short.toUnsignedInt(buffer.getShort(HEADER_LENGTH + 18));
        InetAddress external = unmapped(Arrays.copyOfRange(bytes, HEADER_LENGTH + 20, HEADER_LENGTH + 36));
        return new Response(
                opcode,
                result,
                lifetime,
                epoch,
                Optional.of(new MapData(nonce, protocol, internalPort, externalPort, external)));
    }

    /** An IPv4 address as the IPv4-mapped IPv6 address {@code ::ffff:a.b.c.d}; IPv6 as it is. */
    static byte[] mapped(InetAddress address) {
        byte[] raw = address.getAddress();
        if (raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }

    /** The reverse of {@link #mapped}: an IPv4-mapped address becomes IPv4. */
    static InetAddress unmapped(byte[] sixteen) {
        try {
            // InetAddress.getByAddress already turns ::ffff:a.b.c.d into an Inet4Address.
            return InetAddress.getByAddress(sixteen);
        } catch (UnknownHostException e) {
            throw new AssertionError("16 bytes are always an address", e);
        }
    }

    private static InetAddress zeroAddress() {
        try {
            return Inet4Address.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
