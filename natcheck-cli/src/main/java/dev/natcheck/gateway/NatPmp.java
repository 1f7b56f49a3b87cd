package dev.natcheck.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * NAT-PMP (RFC 6886) as natcheck speaks it: the external address request and its response, the
 * fallback when a gateway answers PCP with "unsupported version".
 */
final class NatPmp {

    /** NAT-PMP version (RFC 6886 section 3.2). */
    static final int VERSION = 0;
    /** Opcode of the external address request; the response's is 128 + this. */
    static final int OPCODE_EXTERNAL_ADDRESS = 0;
    /** Responses set the top bit of the opcode (RFC 6886 section 3.2). */
    static final int RESPONSE_BIT = 128;
    /** Length of the external address response (RFC 6886 section 3.2). */
    static final int EXTERNAL_ADDRESS_RESPONSE_LENGTH = 12;
    /** Every NAT-PMP response carries at least version, opcode and result (RFC 6886 section 3.5). */
    static final int MIN_RESPONSE_LENGTH = 4;

    /** Result code 1, Unsupported Version: also what a NAT-PMP server answers to a PCP request. */
    static final int RESULT_UNSUPPORTED_VERSION = 1;

    private NatPmp() {}

    /** The 2-byte external address request (RFC 6886 section 3.2). */
    static byte[] externalAddressRequest() {
        return new byte[] {VERSION, OPCODE_EXTERNAL_ADDRESS};
    }

    /** An external address response: the result code and, on success, the address. */
    record Response(int resultCode, InetAddress external) {}

    /**
     * Reads an external address response (version 0, opcode 128, result, epoch, address).
     *
     * @throws MalformedAnswerException when it is not one
     */
    static Response parseExternalAddress(byte[] bytes, int length) throws MalformedAnswerException {
        if (length < MIN_RESPONSE_LENGTH) {
            throw new MalformedAnswerException("NAT-PMP response of " + length + " bytes, shorter than 4", 0);
        }
        if (bytes[0] != VERSION) {
            throw new MalformedAnswerException("NAT-PMP version " + (bytes[0] & 0xFF) + ", expected 0", 0);
        }
        int opcode = bytes[1] & 0xFF;
        if (opcode != RESPONSE_BIT + OPCODE_EXTERNAL_ADDRESS) {
            throw new MalformedAnswerException("NAT-PMP opcode " + opcode + ", expected 128", 1);
        }
        int result = u16(bytes, 2);
        if (result != 0) {
            return new Response(result, null);
        }
        if (length < EXTERNAL_ADDRESS_RESPONSE_LENGTH) {
            throw new MalformedAnswerException("NAT-PMP success response of " + length + " bytes, expected 12", length);
        }
        try {
            return new Response(0, InetAddress.getByAddress(new byte[] {bytes[8], bytes[9], bytes[10], bytes[11]}));
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an IPv4 address", e);
        }
    }

    /** The result code of any NAT-PMP response (version 0), e.g. the answer to a PCP request. */
    static int resultCode(byte[] bytes) {
        return u16(bytes, 2);
    }

    /** RFC 6886 section 3.5's name for a result code, as the JSON {@code result} token. */
    static String resultName(int result) {
        return switch (result) {
            case 0 -> GatewayAnswer.OK;
            case 1 -> "unsupported-version";
            case 2 -> "not-authorized";
            case 3 -> "network-failure";
            case 4 -> "out-of-resources";
            case 5 -> "unsupported-opcode";
            default -> "result-" + result;
        };
    }

    /** What a result code says, for the evidence. */
    static String resultMeaning(int result) {
        return switch (result) {
            case 1 -> "Unsupported Version";
            case 2 -> "Not Authorized/Refused: the gateway has NAT-PMP turned off or refuses this host";
            // miniupnpd (2.x) answers 3 not only without a WAN lease but whenever its WAN address
            // is private, shared (100.64.0.0/10) or reserved: it will not hand out an address
            // that is not reachable from the Internet. Seen from the LAN, that is a sign of
            // another NAT beyond the gateway, but not of which kind (docs/lab.md shows it).
            case 3 ->
                "Network Failure: the gateway has no public external address of its own; another NAT may sit beyond it";
            case 4 -> "Out of Resources";
            case 5 -> "Unsupported Opcode";
            default -> "an unassigned result code";
        };
    }

    private static int u16(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }
}
