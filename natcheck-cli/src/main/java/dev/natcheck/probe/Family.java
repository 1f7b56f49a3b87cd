package dev.natcheck.probe;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Address family of a probe: one probe per interface and family. */
public enum Family {
    IPV4("ipv4"),
    IPV6("ipv6");

    private final String wireName;

    Family(String wireName) {
        this.wireName = wireName;
    }

    /** "ipv4" / "ipv6", as in JSON, brief and Prometheus output. */
    public String wireName() {
        return wireName;
    }

    public boolean contains(InetAddress address) {
        return this == IPV4 ? address instanceof Inet4Address : address instanceof Inet6Address;
    }

    public static Family of(InetAddress address) {
        return address instanceof Inet4Address ? IPV4 : IPV6;
    }
}
