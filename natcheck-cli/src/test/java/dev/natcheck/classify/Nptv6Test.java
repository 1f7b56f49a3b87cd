package dev.natcheck.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Nptv6Test {

    @ParameterizedTest(name = "{0} -> {1}: neutral={2}")
    @CsvSource({
        // RFC 6296 section 3.1 worked example
        "fd01:203:405:1::1234, 2001:db8:1:d550::1234, true",
        "2001:db8:1:1::1234, 2001:db8:2::1234, true",
        "2001:db8:1:1::1234, 2001:db8:2:1::1234, false",
        "fd00::2, 2001:db8::2, false",
    })
    void comparesOnesComplementSums(String inside, String outside, boolean neutral) {
        assertThat(Nptv6.checksumNeutral(v6(inside), v6(outside))).isEqualTo(neutral);
    }

    @Test
    void treatsBothZerosOfOnesComplementAsEqual() {
        // ffff alone sums to 0xffff, the all-zero address to 0x0000: the same number in one's complement.
        assertThat(Nptv6.checksumNeutral(v6("ffff::"), v6("::"))).isTrue();
    }

    private static Inet6Address v6(String literal) {
        return (Inet6Address) Inet6Address.ofLiteral(literal);
    }
}
