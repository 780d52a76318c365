package dev.vigil.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restart of {@code vigil run} goes on reading its tailed files where the last run stopped: no line lost, none twice. */
class TailPositionsTest {
    @TempDir
    Path dir;

    final List<String> lines = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    FileTailer tailer(Path f) {
        return new FileTailer(f, false, (name, in) -> lines.addAll(FileTailerTest.read(in)), (w, m) -> problems.add(w + ": " + m));
    }

    /** Runs a tailer over {@code f} from the kept position (none: its end), polls once, keeps where it got to. */
    void runOnce(Path f, Path kept, boolean resume) throws IOException {
        TailPositions positions = TailPositions.load(kept, (w, m) -> problems.add(w + ": " + m));
        try (FileTailer t = tailer(f)) {
            if (resume) t.resume(positions.get(f));
            t.poll();
            t.poll(); // a rotated file: the old one's rest, then the new one
            positions.put(f, t.position());
            positions.save();
        }
    }

    @Test
    void aRestartReadsTheLinesWrittenWhileItWasStoppedAndNoneAgain() throws IOException {
        Path f = dir.resolve("auth.log");
        Path kept = dir.resolve("vigil.db.tail-positions");
        FileTailerTest.append(f, "before the first start\n");
        runOnce(f, kept, true); // nothing kept yet: from the end, as before
        FileTailerTest.append(f, "a\nb\n");
        runOnce(f, kept, true);
        FileTailerTest.append(f, "while stopped 1\nwhile stopped 2\nhalf");
        runOnce(f, kept, true);
        FileTailerTest.append(f, " done\n");
        runOnce(f, kept, true);
        assertThat(lines).containsExactly("a", "b", "while stopped 1", "while stopped 2", "half done");
        assertThat(problems).isEmpty();
    }

    @Test
    void withoutTheKeptPositionTheLinesWrittenWhileStoppedAreLost() throws IOException {
        Path f = dir.resolve("auth.log");
        Path kept = dir.resolve("p");
        FileTailerTest.append(f, "x\n");
        runOnce(f, kept, false);
        FileTailerTest.append(f, "while stopped\n");
        runOnce(f, kept, false);
        assertThat(lines).as("what resume() is for").isEmpty();
    }

    @Test
    void aChunkTheSinkFailedOnIsReadAgainAfterARestart() throws IOException {
        Path f = dir.resolve("auth.log");
        Path kept = dir.resolve("p");
        FileTailerTest.append(f, "old\n");
        TailPositions positions = TailPositions.load(kept, (w, m) -> problems.add(m));
        try (FileTailer t = new FileTailer(f, false, (name, in) -> {
            throw new IllegalStateException("database is locked");
        }, (w, m) -> problems.add(m))) {
            FileTailerTest.append(f, "lost unless kept\n");
            t.poll();
            assertThat(t.holdsFailed()).isTrue();
            positions.put(f, t.position());
            positions.save();
        }
        runOnce(f, kept, true);
        assertThat(lines).containsExactly("lost unless kept");
    }

    @Test
    void aFileRotatedWhileStoppedIsReadToItsEndThenTheNewOneFromItsStart() throws IOException {
        Path f = dir.resolve("secure");
        Path kept = dir.resolve("p");
        FileTailerTest.append(f, "old\n");
        runOnce(f, kept, true);
        FileTailerTest.append(f, "rest 1\n");
        Files.writeString(dir.resolve("secure-20261204.gz"), "not it"); // another file, of the same start of name
        Files.move(f, dir.resolve("secure-20261205"));
        FileTailerTest.append(dir.resolve("secure-20261205"), "rest 2\n");
        FileTailerTest.append(f, "new 1\n");
        runOnce(f, kept, true);
        assertThat(lines).containsExactly("rest 1", "rest 2", "new 1");
        assertThat(problems).singleElement().satisfies(p -> assertThat(p).contains("rotated since the last run", "secure-20261205"));
        FileTailerTest.append(f, "new 2\n");
        runOnce(f, kept, true);
        assertThat(lines).containsExactly("rest 1", "rest 2", "new 1", "new 2");
    }

    @Test
    void aRotatedFileNotFoundIsSaidAndTheNewOneReadFromItsStart() throws IOException {
        Path f = dir.resolve("auth.log");
        Path kept = dir.resolve("p");
        FileTailerTest.append(f, "old\n");
        runOnce(f, kept, true);
        FileTailerTest.append(f, "compressed away\n");
        FileTailerTest.append(dir.resolve("auth.log.new"), "new\n"); // made before the old one goes: another inode
        Files.delete(f);
        Files.move(dir.resolve("auth.log.new"), f);
        runOnce(f, kept, true);
        assertThat(lines).containsExactly("new");
        assertThat(problems).singleElement().satisfies(p -> assertThat(p).contains("old file not found", "after byte 4 are not read"));
    }

    @Test
    void aNewFileOnTheOldOnesInodeIsNotTakenForIt() throws IOException {
        Path f = dir.resolve("auth.log");
        Path kept = dir.resolve("p");
        FileTailerTest.append(f, "old\n");
        runOnce(f, kept, true);
        FileTailerTest.append(f, "gone\n");
        Files.delete(f);
        FileTailerTest.append(f, "new line, longer than the kept offset\n"); // the file system may give it the freed inode
        runOnce(f, kept, true);
        assertThat(lines).containsExactly("new line, longer than the kept offset");
        assertThat(problems).singleElement().satisfies(p -> assertThat(p).contains("auth.log", "from its start"));
    }

    @Test
    void aFileRewrittenInPlaceIsReadFromItsStart() throws IOException {
        Path f = dir.resolve("auth.log");
        Path kept = dir.resolve("p");
        FileTailerTest.append(f, "first line of the old content\n");
        runOnce(f, kept, true);
        FileTailerTest.append(f, "a\n");
        runOnce(f, kept, true);
        // the same file (inode), cut and written again while stopped, longer than the kept offset: its start differs
        Files.writeString(f, "another start of the file, long enough to pass the kept offset\n");
        runOnce(f, kept, true);
        assertThat(lines).containsExactly("a", "another start of the file, long enough to pass the kept offset");
        assertThat(problems).singleElement().satisfies(p -> assertThat(p).contains("not the content read before", "read from its start"));
    }

    @Test
    void pathsOfAnyCharacterRoundTrip() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        Path kept = dir.resolve("p");
        TailPositions out = TailPositions.load(kept, (w, m) -> problems.add(m));
        List<Path> paths = new ArrayList<>();
        List<TailPositions.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            StringBuilder b = new StringBuilder("f");
            int n = r.nextInt(12);
            for (int j = 0; j < n; j++) b.append("%\t\n\r abé😀".charAt(r.nextInt(8)));
            b.append(i);
            Path p = dir.resolve(b.toString());
            long off = r.nextInt(1 << 20);
            TailPositions.Entry e = new TailPositions.Entry(r.nextBoolean() ? null : "(dev=" + r.nextInt(999) + ",ino=" + r.nextLong() + ")",
                    off, (int) Math.min(off, r.nextInt(TailPositions.FINGERPRINT_BYTES + 1)), "%064x".formatted(r.nextLong()));
            out.put(p, e);
            paths.add(p);
            entries.add(e);
        }
        out.save();
        TailPositions in = TailPositions.load(kept, (w, m) -> problems.add(m));
        for (int i = 0; i < paths.size(); i++) assertThat(in.get(paths.get(i))).as("seed " + seed).isEqualTo(entries.get(i));
        assertThat(problems).as("seed " + seed).isEmpty();
    }

    @Test
    void aDamagedPositionsFileIsSaidLineByLineAndNeverThrows() throws IOException {
        Path kept = dir.resolve("p");
        String good = "v1\t" + dir.resolve("a.log").toAbsolutePath() + "\t(dev=1,ino=2)\t10\t10\t" + "0".repeat(64);
        Files.writeString(kept, "garbage\n" + good + "\nv1\tx\t-\t-5\t0\t" + "0".repeat(64) + "\nv1\tx\t-\t5\t9\t" + "0".repeat(64)
                + "\nv1\tbad%zz\t-\t5\t0\t" + "0".repeat(64) + "\n");
        TailPositions p = TailPositions.load(kept, (w, m) -> problems.add(w + ": " + m));
        assertThat(p.get(dir.resolve("a.log"))).isEqualTo(new TailPositions.Entry("(dev=1,ino=2)", 10, 10, "0".repeat(64)));
        assertThat(problems).hasSize(4).allSatisfy(m -> assertThat(m).startsWith(kept + ":").contains("not a tail position"));
        assertThat(problems).extracting(m -> m.substring(kept.toString().length() + 1, m.indexOf(':', kept.toString().length() + 1)))
                .containsExactly("1", "3", "4", "5");

        long seed = System.nanoTime();
        Random r = new Random(seed);
        byte[] base = Files.readAllBytes(kept);
        for (int i = 0; i < 2000; i++) { // mutated files: a line read or said, never an exception, never a bad entry
            byte[] b = base.clone();
            for (int k = 0; k < 1 + r.nextInt(6); k++) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            Files.write(kept, b);
            TailPositions q = TailPositions.load(kept, (w, m) -> {});
            TailPositions.Entry e = q.get(dir.resolve("a.log"));
            if (e != null) assertThat(e.offset()).as("seed " + seed).isGreaterThanOrEqualTo(e.fingerprintLength());
        }

        Files.write(kept, new byte[TailPositions.MAX_BYTES + 1]);
        problems.clear();
        TailPositions.load(kept, (w, m) -> problems.add(m));
        assertThat(problems).singleElement().satisfies(m -> assertThat(m).contains("longer than"));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < TailPositions.MAX_ENTRIES + 5; i++) many.append(good.replace("a.log", "a" + i + ".log")).append('\n');
        Files.writeString(kept, many, StandardCharsets.UTF_8);
        problems.clear();
        TailPositions many2 = TailPositions.load(kept, (w, m) -> problems.add(m));
        assertThat(problems).singleElement().satisfies(m -> assertThat(m).contains("more than " + TailPositions.MAX_ENTRIES));
        assertThat(many2.get(dir.resolve("a" + (TailPositions.MAX_ENTRIES - 1) + ".log"))).isNotNull();
        assertThat(many2.get(dir.resolve("a" + TailPositions.MAX_ENTRIES + ".log"))).isNull();
    }
}
