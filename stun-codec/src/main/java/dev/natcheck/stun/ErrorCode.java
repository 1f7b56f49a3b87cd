package dev.natcheck.stun;

/**
 * ERROR-CODE (RFC 8489 §14.8): a numeric code 300..699 and a UTF-8 reason phrase. On the wire the
 * hundreds go in a 3-bit class field and the rest in an 8-bit number field (0..99).
 */
public record ErrorCode(int code, String reason) implements StunAttribute {

    /** 300 Try Alternate (RFC 8489 §14.8). */
    public static final int TRY_ALTERNATE = 300;
    /** 400 Bad Request. */
    public static final int BAD_REQUEST = 400;
    /** 401 Unauthenticated. */
    public static final int UNAUTHENTICATED = 401;
    /** 403 Forbidden (RFC 8656 §19): e.g. a peer address the server's policy refuses. */
    public static final int FORBIDDEN = 403;
    /** 420 Unknown Attribute: the request had comprehension-required attributes we do not know. */
    public static final int UNKNOWN_ATTRIBUTE = 420;
    /** 437 Allocation Mismatch (RFC 8656 §19). */
    public static final int ALLOCATION_MISMATCH = 437;
    /** 438 Stale Nonce: retry with the NONCE of this answer (RFC 8489 §9.2.5). */
    public static final int STALE_NONCE = 438;
    /** 440 Address Family not Supported (RFC 8656 §19). */
    public static final int ADDRESS_FAMILY_NOT_SUPPORTED = 440;
    /** 441 Wrong Credentials (RFC 8656 §19). */
    public static final int WRONG_CREDENTIALS = 441;
    /** 442 Unsupported Transport Protocol (RFC 8656 §19). */
    public static final int UNSUPPORTED_TRANSPORT_PROTOCOL = 442;
    /** 443 Peer Address Family Mismatch (RFC 8656 §19). */
    public static final int PEER_ADDRESS_FAMILY_MISMATCH = 443;
    /** 486 Allocation Quota Reached (RFC 8656 §19). */
    public static final int ALLOCATION_QUOTA_REACHED = 486;
    /** 500 Server Error. */
    public static final int SERVER_ERROR = 500;
    /** 508 Insufficient Capacity (RFC 8656 §19). */
    public static final int INSUFFICIENT_CAPACITY = 508;

    public ErrorCode {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("error code must be 300..699, got " + code);
        }
        if (reason == null) {
            throw new NullPointerException("reason");
        }
    }

    /** The code with the reason phrase RFC 8489 §14.8 suggests for it. */
    public static ErrorCode of(int code) {
        return new ErrorCode(code, defaultReason(code));
    }

    /** The reason phrase RFC 8489 §14.8 or RFC 8656 §19 suggests for {@code code}, or "Error" for others. */
    public static String defaultReason(int code) {
        return switch (code) {
            case TRY_ALTERNATE -> "Try Alternate";
            case BAD_REQUEST -> "Bad Request";
            case UNAUTHENTICATED -> "Unauthenticated";
            case FORBIDDEN -> "Forbidden";
            case UNKNOWN_ATTRIBUTE -> "Unknown Attribute";
            case ALLOCATION_MISMATCH -> "Allocation Mismatch";
            case STALE_NONCE -> "Stale Nonce";
            case ADDRESS_FAMILY_NOT_SUPPORTED -> "Address Family not Supported";
            case WRONG_CREDENTIALS -> "Wrong Credentials";
            case UNSUPPORTED_TRANSPORT_PROTOCOL -> "Unsupported Transport Protocol";
            case PEER_ADDRESS_FAMILY_MISMATCH -> "Peer Address Family Mismatch";
            case ALLOCATION_QUOTA_REACHED -> "Allocation Quota Reached";
            case SERVER_ERROR -> "Server Error";
            case INSUFFICIENT_CAPACITY -> "Insufficient Capacity";
            default -> "Error";
        };
    }

    /** The hundreds digit, 3..6, as carried in the 3-bit class field. */
    public int errorClass() {
        return code / 100;
    }

    /** The code modulo 100, as carried in the number field. */
    public int number() {
        return code % 100;
    }

    @Override
    public int type() {
        return AttributeType.ERROR_CODE;
    }
}
