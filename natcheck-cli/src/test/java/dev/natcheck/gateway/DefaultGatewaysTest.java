package dev.natcheck.gateway;

import static dev.natcheck.gateway.ScriptedGateway.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultGatewaysTest {

    @Test
    void findsTheDefaultRoutePerInterfaceInProcNetRoute() {
        List<String> table = List.of(
                "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
                "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0",
                "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
                "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0",
                "wg0\t0000640A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0",
                "down0\t00000000\t0100000A\t0002\t0\t0\t0\t00000000\t0\t0\t0",
                "garbage line");

        assertThat(DefaultGateways.parse(table))
                .isEqualTo(Map.of(
                        "eth0", ip("192.0.2.1"),
                        "wlan0", ip("192.168.1.1")));
    }
}
