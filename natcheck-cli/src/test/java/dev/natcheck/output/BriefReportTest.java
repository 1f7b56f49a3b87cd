package dev.natcheck.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class BriefReportTest {

    @Test
    void writesOneTabSeparatedLinePerProbe() {
        StringWriter text = new StringWriter();
        new BriefReport().write(SampleReports.mixed(), new PrintWriter(text));

        assertThat(text.toString()).isEqualTo("""
                eth0\tipv4\tCPE_NAT\t203.0.113.10:61000\t1
                eth0\tipv6\tNO_NAT\t[2001:db8::2]:40001\t0
                wlan0\tipv4\tUDP_BLOCKED\t203.0.113.20:50001\t1
                tab_name\tipv4\tBLOCKED\t-\t-
                """);
    }
}
