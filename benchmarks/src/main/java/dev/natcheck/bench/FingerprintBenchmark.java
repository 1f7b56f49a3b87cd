package dev.natcheck.bench;

import dev.natcheck.stun.MessageClass;
import dev.natcheck.stun.MessageEncoder;
import dev.natcheck.stun.Method;
import java.util.zip.CRC32;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Where the time of {@code CodecBenchmark.encodeNatcheck} goes: the 32-byte Binding success
 * without FINGERPRINT, and the same plus a CRC-32 of 32 bytes read either from the buffer just
 * written or from another buffer nobody is writing. The difference between the last two is the
 * price of reading back bytes still in the store buffer (the JDK's CRC32 intrinsic loads them
 * with vector loads, which cannot be forwarded from the encoder's smaller stores).
 */
public class FingerprintBenchmark extends NanosPerOperation {

    private final MessageEncoder encoder = new MessageEncoder();
    private final CRC32 crc = new CRC32();
    private final byte[] out = new byte[1500];
    private final byte[] untouched = Packets.RFC5769_IPV4_RESPONSE.clone();
    private final byte[] transactionId = Packets.RFC5769_TRANSACTION_ID.clone();

    private int encodeWithout() {
        return encoder.begin(out, 0, MessageClass.SUCCESS_RESPONSE, Method.BINDING, transactionId, 0)
                .addXorMappedAddress(Packets.RFC5769_MAPPED_IPV4, Packets.RFC5769_MAPPED_PORT)
                .finish(false);
    }

    @Benchmark
    public int encodeWithoutFingerprint() {
        return encodeWithout();
    }

    @Benchmark
    public long encodeThenCrcOfJustWrittenBytes() {
        int n = encodeWithout();
        crc.reset();
        crc.update(out, 0, n);
        return crc.getValue();
    }

    @Benchmark
    public long encodeThenCrcOfUntouchedBytes() {
        int n = encodeWithout();
        crc.reset();
        crc.update(untouched, 0, n);
        return crc.getValue();
    }

    @Benchmark
    public int encodeWithFingerprint() {
        return encoder.begin(out, 0, MessageClass.SUCCESS_RESPONSE, Method.BINDING, transactionId, 0)
                .addXorMappedAddress(Packets.RFC5769_MAPPED_IPV4, Packets.RFC5769_MAPPED_PORT)
                .finish(true);
    }
}
