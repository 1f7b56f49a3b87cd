package dev.natcheck.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A second opinion for JMH on a shared machine: runs each {@link CodecBenchmark} method and
 * {@link DecodeFloorBenchmark#decodeFloor} (or, named on the command line, a
 * {@link FingerprintBenchmark} method, {@code decodeFloorNoCrc}: the floor's walk alone, or one of
 * the TURN decodes, e.g. {@code decodeAllocateSuccessNatcheck}) in 60
 * short rounds of 100 000 calls after a warm-up and prints the fastest round, the figure least
 * disturbed by other processes taking the CPU. Each method runs in a JVM of its own so its
 * call site stays monomorphic, as in JMH. Both codecs are measured the same way, so the ratio
 * is comparable; the absolute figure is a best case, not an average.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.natcheck.bench.MinOfRounds [METHOD...]</pre>
 */
public final class MinOfRounds {

    private static final List<String> ALL = List.of(
            "decodeNatcheck",
            "decodeIce4j",
            "decodeFloor",
            "encodeNatcheck",
            "encodeIce4j",
            "serveNatcheck",
            "serveIce4j");
    private static final List<String> FINGERPRINT = List.of(
            "encodeWithoutFingerprint",
            "encodeThenCrcOfJustWrittenBytes",
            "encodeThenCrcOfUntouchedBytes",
            "encodeWithFingerprint");
    private static final List<String> TURN = List.of(
            "decodeAllocateSuccessNatcheck",
            "decodeAllocateSuccessIce4j",
            "decodeChannelDataNatcheck",
            "decodeChannelDataIce4j");
    private static final int WARM_UP = 3_000_000;
    private static final int ROUNDS = 60;
    private static final int CALLS = 100_000;

    private interface Call {
        long run() throws Exception;
    }

    private static long sink;

    private MinOfRounds() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--child")) {
            System.out.printf(Locale.ROOT, "%-32s %7.1f ns/op%n", args[1], fastestRound(call(args[1])));
            return;
        }
        List<String> methods = args.length == 0 ? ALL : List.of(args);
        for (String m : methods) {
            call(m); // fail fast on a misspelt name
        }
        for (String m : methods) {
            runChild(m);
        }
    }

    private static void runChild(String method) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(
                java, "-cp", System.getProperty("java.class.path"), MinOfRounds.class.getName(), "--child", method));
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(method + ": child JVM exited with " + p.exitValue());
        }
    }

    private static Call call(String method) {
        CodecBenchmark b = new CodecBenchmark();
        FingerprintBenchmark f = new FingerprintBenchmark();
        DecodeFloorBenchmark floor = new DecodeFloorBenchmark();
        return switch (method) {
            case "encodeWithoutFingerprint" -> f::encodeWithoutFingerprint;
            case "encodeThenCrcOfJustWrittenBytes" -> f::encodeThenCrcOfJustWrittenBytes;
            case "encodeThenCrcOfUntouchedBytes" -> f::encodeThenCrcOfUntouchedBytes;
            case "encodeWithFingerprint" -> f::encodeWithFingerprint;
            case "decodeNatcheck" -> b::decodeNatcheck;
            case "decodeIce4j" -> () -> b.decodeIce4j().getPort();
            case "decodeFloor" -> floor::decodeFloor;
            case "decodeFloorNoCrc" -> {
                floor.fingerprint = false;
                yield floor::decodeFloor;
            }
            case "encodeNatcheck" -> b::encodeNatcheck;
            case "encodeIce4j" -> () -> b.encodeIce4j().length;
            case "serveNatcheck" -> b::serveNatcheck;
            case "serveIce4j" -> () -> b.serveIce4j().length;
            case "decodeAllocateSuccessNatcheck" -> b::decodeAllocateSuccessNatcheck;
            case "decodeAllocateSuccessIce4j" -> b::decodeAllocateSuccessIce4j;
            case "decodeChannelDataNatcheck" -> b::decodeChannelDataNatcheck;
            case "decodeChannelDataIce4j" -> b::decodeChannelDataIce4j;
            default ->
                throw new IllegalArgumentException("unknown method " + method + ", expected one of " + ALL
                        + ", decodeFloorNoCrc, " + FINGERPRINT + " or " + TURN);
        };
    }

    private static double fastestRound(Call c) throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            sink += c.run();
        }
        double best = Double.MAX_VALUE;
        for (int r = 0; r < ROUNDS; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                sink += c.run();
            }
            best = Math.min(best, (System.nanoTime() - start) / (double) CALLS);
        }
        if (sink == 0) { // keeps the results alive; practically never true
            System.err.println("sink 0");
        }
        return best;
    }
}
