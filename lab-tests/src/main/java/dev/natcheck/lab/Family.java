package dev.natcheck.lab;

import dev.natcheck.address.AddressText;
import java.util.Locale;

/** An address family of a probe, with the lab addresses that go with it. */
public enum Family {
    IPV4,
    IPV6;

    /** The family as natcheck's JSON names it ("ipv4", "ipv6"). */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String client(LabFacts facts) {
        return this == IPV4
                ? facts.client4()
                : facts.client6()
                        .orElseThrow(() ->
                                new IllegalStateException("topology has no client IPv6 address: " + facts.values()));
    }

    public String mapped(LabFacts facts) {
        return this == IPV4
                ? facts.mapped4()
                : facts.mapped6()
                        .orElseThrow(() ->
                                new IllegalStateException("topology has no mapped IPv6 address: " + facts.values()));
    }

    public String server(LabFacts facts) {
        return this == IPV4 ? facts.server4() : facts.server6();
    }

    public String serverAlt(LabFacts facts) {
        return this == IPV4 ? facts.server4Alt() : facts.server6Alt();
    }

    /** host:port in the form a URL or natcheck's -s takes (IPv6 in brackets). */
    public static String hostPort(String host, int port) {
        return AddressText.hostAndPort(host, port);
    }
}
