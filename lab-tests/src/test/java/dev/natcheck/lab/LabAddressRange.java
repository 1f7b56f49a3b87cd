package dev.natcheck.lab;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** An address block, for checking that the lab only ever uses its own ranges. */
record LabAddressRange(String text, InetAddress network, int prefixLength) {

    /** Every range a lab namespace may hold an address in (docs/design.md §9, plus loopback/link-local). */
    static final List<LabAddressRange> ALLOWED = List.of(
            of("127.0.0.0/8"),
            of("::1/128"),
            of("fe80::/10"),
            of("198.51.100.0/24"),
            of("203.0.113.0/24"),
            of("2001:db8::/32"),
            of("192.168.0.0/16"),
            of("10.0.0.0/8"),
            of("100.64.0.0/10"),
            of("fd00::/8"));

    static LabAddressRange of(String cidr) {
        int slash = cidr.indexOf('/');
        try {
            return new LabAddressRange(
                    cidr, InetAddress.getByName(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(cidr, e);
        }
    }

    boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        int bits = a.length * 8;
        BigInteger mask = BigInteger.ONE
                .shiftLeft(bits)
                .subtract(BigInteger.ONE)
                .shiftRight(prefixLength)
                .not()
                .and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
        return new BigInteger(1, a).and(mask).equals(new BigInteger(1, n).and(mask));
    }

    static boolean allowed(InetAddress address) {
        return ALLOWED.stream().anyMatch(r -> r.contains(address));
    }
}
