package dev.natcheck.stun;

/**
 * STUN attribute type codes, named as in the RFCs that register them (IANA "STUN Attributes"):
 * RFC 8489 (STUN), RFC 5780 (NAT behaviour discovery), RFC 8656 (TURN), RFC 8445 (ICE).
 * Types 0x0000-0x7FFF are comprehension-required, 0x8000-0xFFFF comprehension-optional
 * (RFC 8489 §14).
 */
public final class AttributeType {

    private AttributeType() {}

    /** RFC 8489 §14.1. */
    public static final int MAPPED_ADDRESS = 0x0001;
    /** RFC 3489 §11.2.2 (obsolete). */
    public static final int RESPONSE_ADDRESS = 0x0002;
    /** RFC 5780 §7.2 (RFC 3489 §11.2.4 before it). */
    public static final int CHANGE_REQUEST = 0x0003;
    /** RFC 3489 §11.2.5 (obsolete; read only). */
    public static final int SOURCE_ADDRESS = 0x0004;
    /** RFC 3489 §11.2.3 (obsolete; read only). */
    public static final int CHANGED_ADDRESS = 0x0005;
    /** RFC 8489 §14.3. */
    public static final int USERNAME = 0x0006;
    /** RFC 3489 §11.2.7 (obsolete). */
    public static final int PASSWORD = 0x0007;
    /** RFC 8489 §14.5. */
    public static final int MESSAGE_INTEGRITY = 0x0008;
    /** RFC 8489 §14.8. */
    public static final int ERROR_CODE = 0x0009;
    /** RFC 8489 §14.13. */
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    /** RFC 3489 §11.2.11 (obsolete). */
    public static final int REFLECTED_FROM = 0x000B;
    /** RFC 8656 §18.1. */
    public static final int CHANNEL_NUMBER = 0x000C;
    /** RFC 8656 §18.2. */
    public static final int LIFETIME = 0x000D;
    /** RFC 8656 §18.3. */
    public static final int XOR_PEER_ADDRESS = 0x0012;
    /** RFC 8656 §18.4. */
    public static final int DATA = 0x0013;
    /** RFC 8489 §14.9. */
    public static final int REALM = 0x0014;
    /** RFC 8489 §14.10. */
    public static final int NONCE = 0x0015;
    /** RFC 8656 §18.5. */
    public static final int XOR_RELAYED_ADDRESS = 0x0016;
    /** RFC 8656 §18.6. */
    public static final int REQUESTED_ADDRESS_FAMILY = 0x0017;
    /** RFC 8656 §18.7. */
    public static final int EVEN_PORT = 0x0018;
    /** RFC 8656 §18.8. */
    public static final int REQUESTED_TRANSPORT = 0x0019;
    /** RFC 8656 §18.9. */
    public static final int DONT_FRAGMENT = 0x001A;
    /** RFC 8489 §14.6. */
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    /** RFC 8489 §14.12. */
    public static final int PASSWORD_ALGORITHM = 0x001D;
    /** RFC 8489 §14.4. */
    public static final int USERHASH = 0x001E;
    /** RFC 8489 §14.2. */
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    /** RFC 8656 §18.10. */
    public static final int RESERVATION_TOKEN = 0x0022;
    /** RFC 8445 §16.1. */
    public static final int PRIORITY = 0x0024;
    /** RFC 8445 §16.1. */
    public static final int USE_CANDIDATE = 0x0025;
    /** RFC 5780 §7.6. */
    public static final int PADDING = 0x0026;
    /** RFC 5780 §7.5. */
    public static final int RESPONSE_PORT = 0x0027;
    /** RFC 8656 §18.11. */
    public static final int ADDITIONAL_ADDRESS_FAMILY = 0x8000;
    /** RFC 8656 §18.12. */
    public static final int ADDRESS_ERROR_CODE = 0x8001;
    /** RFC 8489 §14.11. */
    public static final int PASSWORD_ALGORITHMS = 0x8002;
    /** RFC 8489 §14.16. */
    public static final int ALTERNATE_DOMAIN = 0x8003;
    /** RFC 8656 §18.13. */
    public static final int ICMP = 0x8004;
    /** RFC 8489 §14.14. */
    public static final int SOFTWARE = 0x8022;
    /** RFC 8489 §14.15. */
    public static final int ALTERNATE_SERVER = 0x8023;
    /** RFC 5780 §7.7. */
    public static final int CACHE_TIMEOUT = 0x8027;
    /** RFC 8489 §14.7. */
    public static final int FINGERPRINT = 0x8028;
    /** RFC 8445 §16.1. */
    public static final int ICE_CONTROLLED = 0x8029;
    /** RFC 8445 §16.1. */
    public static final int ICE_CONTROLLING = 0x802A;
    /** RFC 5780 §7.3. */
    public static final int RESPONSE_ORIGIN = 0x802B;
    /** RFC 5780 §7.4. */
    public static final int OTHER_ADDRESS = 0x802C;

    /** Whether an agent that does not understand {@code type} must reject the message (RFC 8489 §14). */
    public static boolean isComprehensionRequired(int type) {
        return (type & 0x8000) == 0;
    }

    /**
     * Whether this codec decodes {@code type} into a typed value. A comprehension-required type
     * for which this is false is what a server lists in UNKNOWN-ATTRIBUTES with a 420 answer.
     */
    public static boolean isUnderstood(int type) {
        return switch (type) {
            case MAPPED_ADDRESS,
                    CHANGE_REQUEST,
                    SOURCE_ADDRESS,
                    CHANGED_ADDRESS,
                    USERNAME,
                    MESSAGE_INTEGRITY,
                    ERROR_CODE,
                    UNKNOWN_ATTRIBUTES,
                    XOR_MAPPED_ADDRESS,
                    PADDING,
                    RESPONSE_PORT,
                    SOFTWARE,
                    ALTERNATE_SERVER,
                    FINGERPRINT,
                    RESPONSE_ORIGIN,
                    OTHER_ADDRESS,
                    CHANNEL_NUMBER,
                    LIFETIME,
                    XOR_PEER_ADDRESS,
                    DATA,
                    XOR_RELAYED_ADDRESS,
                    REQUESTED_ADDRESS_FAMILY,
                    EVEN_PORT,
                    REQUESTED_TRANSPORT,
                    DONT_FRAGMENT,
                    RESERVATION_TOKEN,
                    ADDITIONAL_ADDRESS_FAMILY,
                    ADDRESS_ERROR_CODE,
                    ICMP,
                    REALM,
                    NONCE,
                    MESSAGE_INTEGRITY_SHA256,
                    PASSWORD_ALGORITHM,
                    USERHASH,
                    PASSWORD_ALGORITHMS -> true;
            default -> false;
        };
    }

    /**
     * Whether {@code type} holds an XOR-obfuscated transport address (RFC 8489 §14.2):
     * XOR-MAPPED-ADDRESS, and TURN's XOR-PEER-ADDRESS and XOR-RELAYED-ADDRESS (RFC 8656 §18.3,
     * §18.5), which are encoded the same way.
     */
    public static boolean isXorAddress(int type) {
        return type == XOR_MAPPED_ADDRESS || type == XOR_PEER_ADDRESS || type == XOR_RELAYED_ADDRESS;
    }

    /** Whether {@code type} holds a transport address in the MAPPED-ADDRESS format, XORed or not. */
    public static boolean isAddress(int type) {
        return switch (type) {
            case MAPPED_ADDRESS,
                    XOR_MAPPED_ADDRESS,
                    RESPONSE_ORIGIN,
                    OTHER_ADDRESS,
                    ALTERNATE_SERVER,
                    SOURCE_ADDRESS,
                    CHANGED_ADDRESS,
                    XOR_PEER_ADDRESS,
                    XOR_RELAYED_ADDRESS -> true;
            default -> false;
        };
    }

    /** The RFC name of {@code type}, e.g. "XOR-MAPPED-ADDRESS", or "0x1234" for an unnamed type. */
    public static String name(int type) {
        return switch (type) {
            case MAPPED_ADDRESS -> "MAPPED-ADDRESS";
            case RESPONSE_ADDRESS -> "RESPONSE-ADDRESS";
            case CHANGE_REQUEST -> "CHANGE-REQUEST";
            case SOURCE_ADDRESS -> "SOURCE-ADDRESS";
            case CHANGED_ADDRESS -> "CHANGED-ADDRESS";
            case USERNAME -> "USERNAME";
            case PASSWORD -> "PASSWORD";
            case MESSAGE_INTEGRITY -> "MESSAGE-INTEGRITY";
            case ERROR_CODE -> "ERROR-CODE";
            case UNKNOWN_ATTRIBUTES -> "UNKNOWN-ATTRIBUTES";
            case REFLECTED_FROM -> "REFLECTED-FROM";
            case CHANNEL_NUMBER -> "CHANNEL-NUMBER";
            case LIFETIME -> "LIFETIME";
            case XOR_PEER_ADDRESS -> "XOR-PEER-ADDRESS";
            case DATA -> "DATA";
            case REALM -> "REALM";
            case NONCE -> "NONCE";
            case XOR_RELAYED_ADDRESS -> "XOR-RELAYED-ADDRESS";
            case REQUESTED_ADDRESS_FAMILY -> "REQUESTED-ADDRESS-FAMILY";
            case EVEN_PORT -> "EVEN-PORT";
            case REQUESTED_TRANSPORT -> "REQUESTED-TRANSPORT";
            case DONT_FRAGMENT -> "DONT-FRAGMENT";
            case MESSAGE_INTEGRITY_SHA256 -> "MESSAGE-INTEGRITY-SHA256";
            case PASSWORD_ALGORITHM -> "PASSWORD-ALGORITHM";
            case USERHASH -> "USERHASH";
            case XOR_MAPPED_ADDRESS -> "XOR-MAPPED-ADDRESS";
            case RESERVATION_TOKEN -> "RESERVATION-TOKEN";
            case PRIORITY -> "PRIORITY";
            case USE_CANDIDATE -> "USE-CANDIDATE";
            case PADDING -> "PADDING";
            case RESPONSE_PORT -> "RESPONSE-PORT";
            case ADDITIONAL_ADDRESS_FAMILY -> "ADDITIONAL-ADDRESS-FAMILY";
            case ADDRESS_ERROR_CODE -> "ADDRESS-ERROR-CODE";
            case PASSWORD_ALGORITHMS -> "PASSWORD-ALGORITHMS";
            case ALTERNATE_DOMAIN -> "ALTERNATE-DOMAIN";
            case ICMP -> "ICMP";
            case SOFTWARE -> "SOFTWARE";
            case ALTERNATE_SERVER -> "ALTERNATE-SERVER";
            case CACHE_TIMEOUT -> "CACHE-TIMEOUT";
            case FINGERPRINT -> "FINGERPRINT";
            case ICE_CONTROLLED -> "ICE-CONTROLLED";
            case ICE_CONTROLLING -> "ICE-CONTROLLING";
            case RESPONSE_ORIGIN -> "RESPONSE-ORIGIN";
            case OTHER_ADDRESS -> "OTHER-ADDRESS";
            default -> String.format("0x%04X", type);
        };
    }
}
