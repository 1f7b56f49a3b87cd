package dev.natcheck.probe;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;

/** Address family of a probe: one probe per interface and family. */
public enum Family {
    IPV4("ipv4", StandardProtocolFamily.INET),
    IPV6("ipv6", StandardProtocolFamily.INET6);

    private final String wireName;
    private final ProtocolFamily protocolFamily;

    Family(String wireName, ProtocolFamily protocolFamily) {
        this.wireName = wireName;
        this.protocolFamily = protocolFamily;
    }

    /** "ipv4" / "ipv6", as in JSON, brief and Prometheus output. */
    public String wireName() {
        return wireName;
    }

    public ProtocolFamily protocolFamily() {
        return protocolFamily;
    }

    public boolean contains(InetAddress address) {
        return this == IPV4 ? address instanceof Inet4Address : address instanceof Inet6Address;
    }

    public static Family of(InetAddress address) {
        return address instanceof Inet4Address ? IPV4 : IPV6;
    }
}
