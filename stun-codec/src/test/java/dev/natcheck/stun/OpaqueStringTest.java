package dev.natcheck.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** OpaqueString (RFC 8265 §4.2): one row per rule, what it maps to or why it is refused. */
class OpaqueStringTest {

    record Prepared(String name, String input, String output) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Refused(String name, String input, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Prepared> prepared() {
        return Stream.of(
                new Prepared("printable ASCII is unchanged", "user:p@ss w0rd~!", "user:p@ss w0rd~!"),
                new Prepared("case is kept", "TheMatrIX", "TheMatrIX"),
                new Prepared("RFC 5769 / 8489 username is unchanged", "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9", "マトリックス"),
                new Prepared("a non-ASCII space becomes U+0020", "pass\u00A0word\u3000!", "pass word !"),
                new Prepared("NFC composes e + combining acute", "cafe\u0301", "caf\u00E9"),
                new Prepared("compatibility characters stay (NFC, not NFKC)", "M\u00AAtr\u2168", "M\u00AAtr\u2168"),
                new Prepared("a single space is a string", " ", " "));
    }

    static Stream<Refused> refused() {
        return Stream.of(
                new Refused("the empty string", "", "OpaqueString: the empty string is not allowed (RFC 8265 §4.2.2)"),
                new Refused(
                        "an ASCII control",
                        "pass\tword",
                        "OpaqueString: U+0009 at index 4 is not allowed (control; RFC 8265 §4.2)"),
                new Refused(
                        "DEL", "pass\u007F", "OpaqueString: U+007F at index 4 is not allowed (control; RFC 8265 §4.2)"),
                // SASLprep maps U+00AD to nothing, which is how RFC 5769 §2.4 gets "TheMatrIX";
                // OpaqueString refuses it, although RFC 8489 B.1 calls "TheMatrIX" its output.
                new Refused(
                        "RFC 5769 §2.4's password before preparation (soft hyphen)",
                        "The\u00ADM\u00AAtr\u2168",
                        "OpaqueString: U+00AD at index 3 is not allowed (default ignorable; RFC 8265 §4.2)"),
                new Refused(
                        "zero width joiner (contextual rules not implemented)",
                        "a\u200Db",
                        "OpaqueString: U+200D at index 1 is not allowed (default ignorable; RFC 8265 §4.2)"),
                new Refused(
                        "a private-use character",
                        "pw\uE000",
                        "OpaqueString: U+E000 at index 2 is not allowed (private use; RFC 8265 §4.2)"),
                new Refused(
                        "a noncharacter",
                        "pw\uFFFF",
                        "OpaqueString: U+FFFF at index 2 is not allowed (unassigned or noncharacter; RFC 8265 §4.2)"),
                new Refused(
                        "a line separator",
                        "pw\u2028",
                        "OpaqueString: U+2028 at index 2 is not allowed (line or paragraph separator; RFC 8265 §4.2)"),
                new Refused(
                        "an old Hangul jamo",
                        "\u1100x",
                        "OpaqueString: U+1100 at index 0 is not allowed (old Hangul jamo; RFC 8265 §4.2)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("prepared")
    void prepares(Prepared row) {
        assertThat(OpaqueString.prepare(row.input())).isEqualTo(row.output());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesNamingTheCodePointAndWhy(Refused row) {
        assertThatThrownBy(() -> OpaqueString.prepare(row.input()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(row.message());
    }
}
