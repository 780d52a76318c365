package dev.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BuildInfoTest {
    private static final String TEST = "/dev/vigil/core/build-info-test.properties";

    @Test
    void theVersionIsTheRootPomsRevisionFilteredIntoTheClassPath() throws Exception {
        // the tests run in the repository's root (surefire's workingDirectory)
        Matcher m = Pattern.compile("<revision>([^<]+)</revision>").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).as("the root pom's revision").isTrue();
        assertThat(BuildInfo.version()).contains(m.group(1));
    }

    @Test
    void aValueIsStrippedAndABlankOrUnfilteredOneIsAbsent() {
        assertThat(BuildInfo.property(TEST, "padded")).contains("1.2.3");
        assertThat(BuildInfo.property(TEST, "blank")).isEmpty();
        assertThat(BuildInfo.property(TEST, "unfiltered")).isEmpty();
        assertThat(BuildInfo.property(TEST, "missing")).isEmpty();
    }

    @Test
    void aMissingResourceIsAbsentAndARelativeNameIsRefused() {
        assertThat(BuildInfo.property("/dev/vigil/core/no-such.properties", "version")).isEmpty();
        // relative to BuildInfo's package it would silently read another file than the one named
        assertThatThrownBy(() -> BuildInfo.property("dev/vigil/version.properties", "version"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
