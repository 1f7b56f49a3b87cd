package dev.natcheck.whoami;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressLineTest {

    @ParameterizedTest(name = "{0} port {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
      198.51.100.7                            | 40000 | 198.51.100.7:40000
      0.0.0.0                                 | 0     | 0.0.0.0:0
      255.255.255.255                         | 65535 | 255.255.255.255:65535
      2001:db8::7                             | 40000 | [2001:db8::7]:40000
      2001:0DB8:0000:0000:0000:0000:0000:0007 | 1     | [2001:db8::7]:1
      ::1                                     | 8080  | [::1]:8080
      ::                                      | 8080  | [::]:8080
      2001:db8:0:1:1:1:1:1                    | 5     | [2001:db8:0:1:1:1:1:1]:5
      2001:db8:0:0:1:0:0:1                    | 5     | [2001:db8::1:0:0:1]:5
      2001:0:0:1:0:0:0:1                      | 5     | [2001:0:0:1::1]:5
      fe80::1:2:3:4                           | 5     | [fe80::1:2:3:4]:5
      2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff  | 65535 | [2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff]:65535
      """)
    void writesRfc5952Text(String address, int port, String expected) {
        InetSocketAddress client = new InetSocketAddress(InetAddress.ofLiteral(address), port);

        assertThat(AddressLine.text(client)).isEqualTo(expected);
        assertThat(AddressLine.encode(client)).isEqualTo((expected + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void writesIpv4MappedClientsAsIpv4() throws UnknownHostException {
        // Inet6Address.getByAddress keeps the mapped form that InetAddress.getByAddress would unmap.
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 198, 51, 100, 7};
        Inet6Address address = Inet6Address.getByAddress(null, mapped, -1);

        assertThat(AddressLine.text(new InetSocketAddress(address, 40000))).isEqualTo("198.51.100.7:40000");
    }

    @Test
    void leavesOutTheServersZone() throws UnknownHostException {
        byte[] linkLocal = InetAddress.ofLiteral("fe80::7").getAddress();
        Inet6Address scoped = Inet6Address.getByAddress(null, linkLocal, 2);

        assertThat(AddressLine.text(new InetSocketAddress(scoped, 40000))).isEqualTo("[fe80::7]:40000");
    }

    @Test
    void longestPossibleLineFitsTheLimit() {
        InetSocketAddress widest =
                new InetSocketAddress(InetAddress.ofLiteral("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 65535);

        assertThat(AddressLine.encode(widest)).hasSize(48).hasSizeLessThanOrEqualTo(AddressLine.MAX_BYTES);
    }
}
