package dev.natcheck.bench;

import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under both codecs' FINGERPRINT: the JDK's CRC-32 intrinsic alone, over the 32 bytes
 * an encoded Binding success has in front of FINGERPRINT and the 72 bytes the RFC 5769 IPv4
 * response has. Bytes nobody is writing, so no store-forwarding stall is included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Crc32Benchmark {

    @Param({"32", "72"})
    int length;

    private final byte[] message = Packets.RFC5769_IPV4_RESPONSE.clone();
    private final CRC32 crc = new CRC32();

    @Benchmark
    public long crc32() {
        crc.reset();
        crc.update(message, 0, length);
        return crc.getValue();
    }
}
