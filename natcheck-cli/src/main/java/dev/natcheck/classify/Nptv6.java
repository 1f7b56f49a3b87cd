package dev.natcheck.classify;

import java.net.Inet6Address;

/** RFC 6296 (NPTv6) checksum neutrality: a prefix translation keeps the one's-complement sum of the address. */
public final class Nptv6 {

    private Nptv6() {}

    /** True when both addresses have the same 16-bit one's-complement sum (RFC 6296 section 3.1). */
    public static boolean checksumNeutral(Inet6Address a, Inet6Address b) {
        return onesComplementSum(a.getAddress()) == onesComplementSum(b.getAddress());
    }

    /** One's-complement sum of the 16-bit words, with 0xFFFF folded to 0 (both are zero in one's complement). */
    static int onesComplementSum(byte[] address) {
        int sum = 0;
        for (int i = 0; i < address.length; i += 2) {
            sum += ((address[i] & 0xFF) << 8) | (address[i + 1] & 0xFF);
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return sum == 0xFFFF ? 0 : sum;
    }
}
