package dev.natcheck.stun;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the decoder with Jazzer. Under {@code ./mvnw verify} the module
 * sets JAZZER_FUZZ, so this fuzzes for 25 s starting from the seed corpus in
 * {@code src/test/resources/dev/natcheck/stun/StunFuzzTestInputs/}; without it, it replays the
 * corpus. Jazzer fuzzes only the first {@code @FuzzTest} it meets, so this class holds one.
 * The long run uses {@link StunFuzzTarget} (see docs/fuzzing.md).
 */
class StunFuzzTest {

    @FuzzTest(maxDuration = "25s")
    void decodeFailsCleanlyOrRoundTrips(byte[] data) {
        FuzzProperty.check(data);
    }
}
