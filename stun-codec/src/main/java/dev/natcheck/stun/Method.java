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

    /** Binding (RFC 8489 §18.2), the only method natcheck sends and answers. */
    public static final Method BINDING = ALL[0x001];
    /** Shared Secret, RFC 3489 §11.1 (obsolete; recognised only for its name). */
    public static final Method SHARED_SECRET = ALL[0x002];

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
            default -> String.format("Method(0x%03x)", code);
        };
    }
}
