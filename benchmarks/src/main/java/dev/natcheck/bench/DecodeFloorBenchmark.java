package dev.natcheck.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * A lower bound for {@code CodecBenchmark.decodeNatcheck}, not product code: the least a strict
 * decoder must do for the RFC 5769 IPv4 response, written for that one message. It checks the
 * header, walks the four attributes, checks SOFTWARE as ASCII only (cheaper than UTF-8), the
 * address family and MESSAGE-INTEGRITY's length, verifies FINGERPRINT with the JDK's CRC32, and
 * reads XOR-MAPPED-ADDRESS, keeping no attribute table. If even this is not 10 times faster than
 * ice4j, no general decoder on this JVM and machine is. With {@code fingerprint=false} the CRC is
 * skipped, which splits the time between the attribute walk and the CRC.
 */
public class DecodeFloorBenchmark extends NanosPerOperation {

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Whether FINGERPRINT's CRC is verified; {@code false} only to time the walk alone. */
    @Param({"true", "false"})
    boolean fingerprint = true;

    final byte[] response = Packets.RFC5769_IPV4_RESPONSE.clone();
    private final CRC32 crc = new CRC32();

    /** Port << 32 | IPv4 address of XOR-MAPPED-ADDRESS, or a negative number naming the failed check. */
    @Benchmark
    public long decodeFloor() {
        byte[] b = response;
        int n = b.length;
        int word = (int) INT.get(b, 0);
        if ((word & 0xC0000000) != 0 || (word & 3) != 0 || (word & 0xFFFF) != n - 20) {
            return -1;
        }
        int p = 20;
        int xorMapped = -1;
        int fingerprintAt = -1;
        while (p < n) {
            int header = (int) INT.get(b, p);
            int type = header >>> 16;
            int length = header & 0xFFFF;
            int end = p + 4 + length;
            if (end > n) {
                return -2;
            }
            // The next offset straight from p and length: the shortest chain from one header
            // load to the next, which is what bounds the walk.
            int next = (p + length + 7) & ~3;
            if (type == 0x8028) { // FINGERPRINT
                if (length != 4 || next != n) {
                    return -3;
                }
                fingerprintAt = p;
            } else if (type == 0x0020) { // XOR-MAPPED-ADDRESS
                if (length != 8 || b[p + 5] != 1) {
                    return -5;
                }
                xorMapped = p;
            } else if (type == 0x8022) { // SOFTWARE
                int i = 0;
                for (; i + 8 <= length; i += 8) {
                    if (((long) LONG.get(b, p + 4 + i) & 0x8080808080808080L) != 0) {
                        return -6;
                    }
                }
                for (; i < length; i++) {
                    if (b[p + 4 + i] < 0) {
                        return -6;
                    }
                }
            } else if (type == 0x0008 && length != 20) { // MESSAGE-INTEGRITY
                return -7;
            }
            p = next;
        }
        // After the loop, so the walk holds no call and the two parts time apart cleanly.
        if (fingerprint && fingerprintAt >= 0) {
            crc.reset();
            crc.update(b, 0, fingerprintAt);
            if (((int) crc.getValue() ^ 0x5354554e) != (int) INT.get(b, fingerprintAt + 4)) {
                return -4;
            }
        }
        if (xorMapped < 0) {
            return -8;
        }
        int cookie = (int) INT.get(b, 4);
        int ip = (int) INT.get(b, xorMapped + 8) ^ cookie;
        int port = ((int) INT.get(b, xorMapped + 4) & 0xFFFF) ^ cookie >>> 16;
        return (long) port << 32 | ip & 0xFFFFFFFFL;
    }
}
