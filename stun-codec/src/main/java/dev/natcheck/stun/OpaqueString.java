package dev.natcheck.stun;

import java.text.Normalizer;

/**
 * The OpaqueString profile of PRECIS (RFC 8265 §4.2), which RFC 8489 applies to usernames,
 * realms and passwords before they are hashed into a key (§9.2.2, §14.3, §14.4). RFC 5389 used
 * SASLprep (RFC 4013) instead; for ASCII the two agree.
 *
 * <p>What is implemented: the additional mapping (non-ASCII spaces to U+0020), NFC
 * normalization, and the FreeformClass checks: the empty string, controls, format characters,
 * line and paragraph separators, private-use, unassigned (in the JDK's Unicode version, as PRECIS
 * allows) and surrogate code points, Default_Ignorable_Code_Point (e.g. U+00AD SOFT HYPHEN, which
 * SASLprep silently deletes) and Old Hangul Jamo are refused. For ASCII that is the whole
 * profile: printable characters and space pass unchanged, controls are refused.
 *
 * <p>Not implemented: the contextual rules (RFC 5892 Appendix A): ZERO WIDTH (NON-)JOINER are
 * always refused instead of being allowed after a virama, and CONTEXTO characters (e.g. U+00B7
 * MIDDLE DOT, KATAKANA MIDDLE DOT, Arabic-Indic digits) pass without their context being checked;
 * nor the exceptions table of RFC 5892 §2.6.
 */
public final class OpaqueString {

    private OpaqueString() {}

    /**
     * {@code s} prepared and enforced with OpaqueString.
     *
     * @throws IllegalArgumentException naming the first code point the profile refuses, and where
     */
    public static String prepare(String s) {
        if (isPrintableAscii(s)) {
            return s; // mapping and NFC change nothing, and every character is valid
        }
        StringBuilder mapped = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> mapped.appendCodePoint(isNonAsciiSpace(cp) ? ' ' : cp));
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFC);
        if (normalized.isEmpty()) {
            throw new IllegalArgumentException("OpaqueString: the empty string is not allowed (RFC 8265 §4.2.2)");
        }
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            String why = disallowed(cp);
            if (why != null) {
                throw new IllegalArgumentException(String.format(
                        "OpaqueString: U+%04X at index %d is not allowed (%s; RFC 8265 §4.2)", cp, i, why));
            }
            i += Character.charCount(cp);
        }
        return normalized;
    }

    private static boolean isPrintableAscii(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNonAsciiSpace(int cp) {
        return cp != ' ' && Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    /** Why FreeformClass refuses {@code cp}, or null when it is valid. */
    private static String disallowed(int cp) {
        if (isDefaultIgnorable(cp)) {
            return "default ignorable";
        }
        if (isOldHangulJamo(cp)) {
            return "old Hangul jamo";
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL -> "control";
            case Character.FORMAT -> "format character";
            case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> "line or paragraph separator";
            case Character.PRIVATE_USE -> "private use";
            case Character.SURROGATE -> "unpaired surrogate";
            case Character.UNASSIGNED -> "unassigned or noncharacter";
            default -> null;
        };
    }

    /** Default_Ignorable_Code_Point of the Unicode Character Database (DerivedCoreProperties.txt). */
    private static boolean isDefaultIgnorable(int cp) {
        return cp == 0x00AD
                || cp == 0x034F
                || cp == 0x061C
                || (cp >= 0x115F && cp <= 0x1160)
                || (cp >= 0x17B4 && cp <= 0x17B5)
                || (cp >= 0x180B && cp <= 0x180F)
                || (cp >= 0x200B && cp <= 0x200F)
                || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2060 && cp <= 0x206F)
                || cp == 0x3164
                || (cp >= 0xFE00 && cp <= 0xFE0F)
                || cp == 0xFEFF
                || cp == 0xFFA0
                || (cp >= 0xFFF0 && cp <= 0xFFF8)
                || (cp >= 0x1BCA0 && cp <= 0x1BCA3)
                || (cp >= 0x1D173 && cp <= 0x1D17A)
                || (cp >= 0xE0000 && cp <= 0xE0FFF);
    }

    /** Conjoining jamo that PRECIS calls OldHangulJamo (RFC 5892 §2.9): leading, vowel and trailing. */
    private static boolean isOldHangulJamo(int cp) {
        return (cp >= 0x1100 && cp <= 0x11FF)
                || (cp >= 0xA960 && cp <= 0xA97C)
                || (cp >= 0xD7B0 && cp <= 0xD7C6)
                || (cp >= 0xD7CB && cp <= 0xD7FB);
    }
}
