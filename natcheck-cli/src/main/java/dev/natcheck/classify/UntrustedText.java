package dev.natcheck.classify;

/**
 * Text that came from the network (a STUN server's reason phrase, a DNS answer, a whoami line)
 * made safe to print on a terminal: control characters (C0, DEL, C1), Unicode format characters
 * (bidirectional overrides, zero-width joiners), line and paragraph separators, and unpaired
 * surrogates are written as visible escapes, so a hostile server can neither move the cursor,
 * recolour the screen, retitle the window nor disguise text. Letters of any script stay as they are.
 */
public final class UntrustedText {

    private UntrustedText() {}

    /**
     * {@code text} with every unprintable character escaped ({@code \x1b}, {@code \n},
     * {@code \u202e}) and backslashes doubled, so that the escaped form cannot be mistaken for
     * the raw one. For text as it arrives from the network.
     */
    public static String escape(String text) {
        return escape(text, true);
    }

    /**
     * {@code line} with every unprintable character but the tab escaped, backslashes left alone: idempotent,
     * so that output writers and the log layout can apply it to lines that may already hold
     * escaped text. The last guard before a terminal.
     */
    public static String printable(String line) {
        return escape(line, false);
    }

    private static String escape(String text, boolean backslashes) {
        int i = 0;
        while (i < text.length() && isPlain(text.charAt(i)) && (!backslashes || text.charAt(i) != '\\')) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\\') {
                out.append(backslashes ? "\\\\" : "\\");
            } else if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (cp == '\t') {
                out.append(backslashes ? "\\t" : "\t");
            } else if (cp < 0x20 || cp == 0x7F) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp < 0x7F || isPrintable(cp)) {
                out.appendCodePoint(cp);
            } else {
                out.append(cp <= 0xFFFF ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp));
            }
        }
        return out.toString();
    }

    private static boolean isPlain(char c) {
        return c >= 0x20 && c < 0x7F;
    }

    private static boolean isPrintable(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE,
                    Character.PRIVATE_USE,
                    Character.UNASSIGNED -> false;
            default -> true;
        };
    }
}
