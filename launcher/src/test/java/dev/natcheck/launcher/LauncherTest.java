package dev.natcheck.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LauncherTest {

    @ParameterizedTest(name = "\"{0}\" is Java {1}")
    @CsvSource({"1.8, 8", "9, 9", "17, 17", "25, 25", "25.0.1, 25", "26-ea, 0", "'', 0", "x, 0"})
    void readsTheFeatureVersion(String version, int feature) {
        assertThat(Launcher.feature(version)).isEqualTo(feature);
    }
}
