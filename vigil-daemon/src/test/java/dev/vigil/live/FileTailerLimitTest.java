package dev.vigil.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A line that never ends (or ends after megabytes) is dropped with one error; the lines after it are read. */
class FileTailerLimitTest {
    @TempDir
    Path dir;

    @Test
    void aLineLongerThanTheLimitIsDroppedUpToItsNewlineWithOneError() throws IOException {
        List<String> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Path f = dir.resolve("auth.log");
        FileTailerTest.append(f, "first\n");
        try (FileTailer t = new FileTailer(f, true, (name, in) -> lines.addAll(FileTailerTest.read(in)), (w, m) -> problems.add(w + ": " + m), 1000)) {
            t.poll();
            FileTailerTest.append(f, "x".repeat(600)); // still being written: held
            t.poll();
            assertThat(problems).isEmpty();
            FileTailerTest.append(f, "y".repeat(600)); // now past 1000 bytes without a newline: dropped
            t.poll();
            assertThat(problems).singleElement().asString().endsWith("auth.log: line at byte 6 longer than 1000 bytes, skipped");
            FileTailerTest.append(f, "z".repeat(5000)); // the rest of it, still dropped
            t.poll();
            FileTailerTest.append(f, "zz\nafter\nhalf");
            t.poll();
            // a line that arrives whole is passed on (memory is bounded by the read buffer): the decoder applies its own limit
            FileTailerTest.append(f, " done\n" + "w".repeat(3000) + "\nlast\n");
            t.poll();
        }
        assertThat(lines).containsExactly("first", "after", "half done", "w".repeat(3000), "last");
        assertThat(problems).hasSize(1);
    }
}
