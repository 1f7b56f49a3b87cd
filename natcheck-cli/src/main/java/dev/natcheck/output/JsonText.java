package dev.natcheck.output;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * A small streaming JSON writer, two-space indented. Strings are escaped to pure ASCII (every
 * character outside printable ASCII as {@code \\uXXXX}), so any evidence text, including what a
 * hostile server sent, comes out as valid JSON.
 */
final class JsonText {

    private final StringBuilder out = new StringBuilder(1024);
    // Per open container: has it got a member yet?
    private final Deque<boolean[]> open = new ArrayDeque<>();
    private boolean afterName;

    JsonText beginObject() {
        return open('{');
    }

    JsonText endObject() {
        return close('}');
    }

    JsonText beginArray() {
        return open('[');
    }

    JsonText endArray() {
        return close(']');
    }

    JsonText name(String name) {
        separate();
        quote(name);
        out.append(": ");
        afterName = true;
        return this;
    }

    JsonText value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    JsonText value(long value) {
        separate();
        out.append(value);
        return this;
    }

    JsonText value(Boolean value) {
        separate();
        out.append(value == null ? "null" : value.toString());
        return this;
    }

    /** A number with at most three decimals (JSON has no NaN or infinity: those become null). */
    JsonText value(Double value) {
        separate();
        if (value == null || value.isNaN() || value.isInfinite()) {
            out.append("null");
        } else {
            String text = String.format(Locale.ROOT, "%.3f", value);
            out.append(text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", ".0") : text);
        }
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private JsonText open(char bracket) {
        separate();
        out.append(bracket);
        open.push(new boolean[] {false});
        return this;
    }

    private JsonText close(char bracket) {
        boolean[] state = open.pop();
        if (state[0]) {
            newline();
        }
        out.append(bracket);
        return this;
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        boolean[] state = open.peek();
        if (state == null) {
            return;
        }
        if (state[0]) {
            out.append(',');
        }
        state[0] = true;
        newline();
    }

    private void newline() {
        out.append('\n');
        out.append("  ".repeat(open.size()));
    }

    private void quote(String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7E) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
