package dev.natcheck.classify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UntrustedTextTest {

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            "Server Error"            | "Server Error"              | plain ASCII stays
            "Müller 東京"              | "Müller 東京"                 | letters of any script stay
            "\u001b[2J"               | "\\x1b[2J"                   | ESC
            "a\u0007b\u007fc"          | "a\\x07b\\x7fc"              | BEL and DEL
            "line\r\nnext\ttab"       | "line\\r\\nnext\\ttab"       | CR, LF, tab
            "\u009b2J"                | "\\u009b2J"                  | C1 CSI
            "\u202eevil\u200b"        | "\\u202eevil\\u200b"         | bidi override and zero-width space
            "a\u2028b"                | "a\\u2028b"                  | line separator
            "back\\slash"             | "back\\\\slash"              | a backslash is doubled
            """)
    void escapesWhatATerminalWouldObey(String raw, String escaped, String name) {
        assertThat(UntrustedText.escape(raw)).isEqualTo(escaped);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            "already \\x1b escaped"   | "already \\x1b escaped"
            "raw \u001b here"         | "raw \\x1b here"
            "tab\tkept"               | "tab\tkept"
            """)
    void printableIsIdempotentOnEscapedText(String line, String shown) {
        assertThat(UntrustedText.printable(line)).isEqualTo(shown);
        assertThat(UntrustedText.printable(UntrustedText.printable(line))).isEqualTo(shown);
    }
}
