package dev.natcheck.stun;

/**
 * Entry point for Jazzer's command-line driver ({@code com.code_intelligence.jazzer.Jazzer
 * --target_class=dev.natcheck.stun.StunFuzzTarget}), used for the long bounded run that
 * docs/fuzzing.md records; the same property as {@link StunFuzzTest}.
 */
public final class StunFuzzTarget {

    private StunFuzzTarget() {}

    /** Called by Jazzer with each generated input. */
    public static void fuzzerTestOneInput(byte[] data) {
        FuzzProperty.check(data);
    }
}
