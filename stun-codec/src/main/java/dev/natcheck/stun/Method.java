package dev.natcheck.stun;

/**
 * A 12-bit STUN method (RFC 8489 §5, §18.2). Instances are cached for every possible code, so
 * {@link #of(int)} never allocates and methods can be compared with {@code ==}.
 */
public record Method(int code) {

    /** Largest method number: the message type has 12 method bits. */
    public static final int MAX_CODE = 0xFFF;

    private static final Method[] ALL = new Method[MAX_CODE + 1];

    static {
        for (int i = 0; i <= MAX_CODE; i++) {
            ALL[i] = new Method(i);
        }
    }

    /** Binding (RFC 8489 §18.2), the only method natcheck's servers answer. */
    public static final Method BINDING = ALL[0x001];
    /** Shared Secret, RFC 3489 §11.1 (obsolete; recognised only for its name). */
    public static final Method SHARED_SECRET = ALL[0x002];
    /** Allocate (RFC 8656 §17): request and responses only. */
    public static final Method ALLOCATE = ALL[0x003];
    /** Refresh (RFC 8656 §17): request and responses only. */
    public static final Method REFRESH = ALL[0x004];
    /** Send (RFC 8656 §17): indication only, client to server. */
    public static final Method SEND = ALL[0x006];
    /** Data (RFC 8656 §17): indication only, server to client. */
    public static final Method DATA = ALL[0x007];
    /** CreatePermission (RFC 8656 §17): request and responses only. */
    public static final Method CREATE_PERMISSION = ALL[0x008];
    /** ChannelBind (RFC 8656 §17): request and responses only. */
    public static final Method CHANNEL_BIND = ALL[0x009];

    public Method {
        if (code < 0 || code > MAX_CODE) {
            throw new IllegalArgumentException("method must be 0..0xFFF, got 0x" + Integer.toHexString(code));
        }
    }

    /** The cached instance for {@code code} (0..0xFFF). */
    public static Method of(int code) {
        if (code < 0 || code > MAX_CODE) {
            throw new IllegalArgumentException("method must be 0..0xFFF, got 0x" + Integer.toHexString(code));
        }
        return ALL[code];
    }

    @Override
    public String toString() {
        return switch (code) {
            case 0x001 -> "Binding";
            case 0x002 -> "SharedSecret";
            case 0x003 -> "Allocate";
            case 0x004 -> "Refresh";
            case 0x006 -> "Send";
            case 0x007 -> "Data";
            case 0x008 -> "CreatePermission";
            case 0x009 -> "ChannelBind";
            default -> String.format("Method(0x%03x)", code);
        };
    }
}
