package dev.vigil.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTailerTest {
    @TempDir
    Path dir;

    final List<String> lines = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    FileTailer tailer(Path f, boolean fromStart) {
        return new FileTailer(f, fromStart, (name, in) -> lines.addAll(read(in)), (w, m) -> problems.add(w + ": " + m));
    }

    static List<String> read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void append(Path f, String s) throws IOException {
        Files.writeString(f, s, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void startsAtTheEndAndReadsOnlyCompleteLines() throws IOException {
        Path f = dir.resolve("auth.log");
        append(f, "old 1\nold 2\n");
        try (FileTailer t = tailer(f, false)) {
            assertThat(t.poll()).isZero();
            append(f, "new 1\nnew 2 half");
            t.poll();
            assertThat(lines).containsExactly("new 1");
            append(f, " done\n");
            t.poll();
            assertThat(lines).containsExactly("new 1", "new 2 half done");
        }
    }

    @Test
    void followsARotationReadingTheRestOfTheOldFileFirst() throws IOException {
        Path f = dir.resolve("auth.log");
        append(f, "a\n");
        try (FileTailer t = tailer(f, true)) {
            t.poll();
            append(f, "b\n");
            Files.move(f, dir.resolve("auth.log.1")); // logrotate: rename, then a new file
            append(dir.resolve("auth.log.1"), "c\n"); // the writer still had the old file open
            append(f, "d\n");
            t.poll();
            append(f, "e\n");
            t.poll();
            assertThat(lines).containsExactly("a", "b", "c", "d", "e");
        }
    }

    @Test
    void followsATruncationAndWaitsForAMissingFile() throws IOException {
        Path f = dir.resolve("later.log");
        try (FileTailer t = tailer(f, false)) {
            assertThat(t.poll()).isZero();
            assertThat(problems).singleElement().satisfies(p -> assertThat(p).contains("later.log", "not there yet"));
            append(f, "x\n");
            t.poll();
            append(f, "y\n");
            t.poll();
            Files.writeString(f, "z\n"); // copytruncate: the same file, cut and written again
            t.poll();
            assertThat(lines).containsExactly("x", "y", "z");
        }
    }

    @Test
    void aChunkTheSinkFailsOnIsHandedInAgainAndNothingMoreIsReadMeanwhile() throws IOException {
        Path f = dir.resolve("auth.log");
        int[] failures = {2};
        List<List<String>> handed = new ArrayList<>();
        append(f, "old\n");
        try (FileTailer t = new FileTailer(f, false, (name, in) -> {
            List<String> got = read(in);
            handed.add(got);
            if (failures[0]-- > 0) throw new IllegalStateException("database is locked\nsecond line");
            lines.addAll(got);
        }, (w, m) -> problems.add(w + ": " + m))) {
            append(f, "a\nb\n");
            assertThat(t.poll()).isZero();
            assertThat(t.holdsFailed()).isTrue();
            append(f, "c\n");
            assertThat(t.poll()).as("still failing: nothing read").isZero();
            assertThat(handed).containsExactly(List.of("a", "b"), List.of("a", "b"));
            assertThat(t.poll()).isEqualTo(6); // the kept chunk taken, then what came meanwhile
            assertThat(t.holdsFailed()).isFalse();
            assertThat(lines).containsExactly("a", "b", "c");
            assertThat(problems).as("said once, on one line").singleElement().satisfies(p -> assertThat(p)
                    .contains("auth.log", "kept and handed in again", "IllegalStateException: database is locked").doesNotContain("second line"));
        }
    }

    @Test
    void aChunkStillHeldAtTheStopIsSaid() throws IOException {
        Path f = dir.resolve("auth.log");
        append(f, "old\n");
        FileTailer t = new FileTailer(f, false, (name, in) -> {
            throw new IllegalStateException("database is locked");
        }, (w, m) -> problems.add(w + ": " + m));
        append(f, "a\n");
        t.poll();
        t.close();
        assertThat(problems).hasSize(2).last().satisfies(p -> assertThat(p).contains("auth.log", "stopped with 2 bytes of lines not processed"));
    }
}
