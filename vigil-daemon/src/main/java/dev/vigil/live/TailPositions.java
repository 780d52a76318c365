package dev.vigil.live;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Where each tailed file was read up to, kept in a small file beside the store so that a restart of {@code vigil run}
 * goes on from there instead of from the end (the lines written while it was down would otherwise never be read).
 *
 * <p>An entry names the file by its path, the identity of the file read (its {@code fileKey}: device and inode), the
 * offset just past the last complete line the pipeline took, and a fingerprint of the file's first bytes (up to
 * {@link #FINGERPRINT_BYTES}, SHA-256) so that a new file given a freed inode is not taken for the old one. The file is
 * written whole (a temporary file, forced, then renamed over it), so a crash leaves the old positions or the new ones.
 *
 * <p>The file is the daemon's own, but it is read as input like any other: at most {@link #MAX_BYTES} and
 * {@link #MAX_ENTRIES}; a line that does not parse is said (file and line) and skipped, and that file then starts at its
 * end as before.
 */
public final class TailPositions {
    /** How many of a file's first bytes are fingerprinted. */
    public static final int FINGERPRINT_BYTES = 1024;
    static final int MAX_BYTES = 1 << 20;
    static final int MAX_ENTRIES = 4096;
    private static final String VERSION = "v1";

    /**
     * A file's position: {@code key} the identity of the file read (null where the file system has none),
     * {@code offset} past the last line taken, and the SHA-256 of its first {@code fingerprintLength} bytes.
     */
    public record Entry(String key, long offset, int fingerprintLength, String fingerprint) {
        public Entry {
            if (offset < 0 || fingerprintLength < 0 || fingerprintLength > FINGERPRINT_BYTES || fingerprintLength > offset) {
                throw new IllegalArgumentException("offset " + offset + ", fingerprint of " + fingerprintLength + " bytes");
            }
            if (fingerprint == null || !fingerprint.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("fingerprint");
        }

        /** Whether {@code ch}'s first {@link #fingerprintLength} bytes are those fingerprinted. */
        boolean sameStart(FileChannel ch) throws IOException {
            return ch.size() >= offset && fingerprint.equals(fingerprintOf(ch, fingerprintLength));
        }
    }

    private final Path file;
    private final BiConsumer<String, String> problems;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private String lastWritten;
    private String lastError;

    private TailPositions(Path file, BiConsumer<String, String> problems) {
        this.file = file;
        this.problems = problems;
    }

    /** The positions kept in {@code file} (none when it is not there yet). */
    public static TailPositions load(Path file, BiConsumer<String, String> problems) {
        TailPositions p = new TailPositions(file, problems);
        p.read();
        return p;
    }

    public Path file() {
        return file;
    }

    /** The position kept for the tailed path {@code path} (as given to {@code --tail}), or null. */
    public Entry get(Path path) {
        return entries.get(name(path));
    }

    /** Sets the position of {@code path} (null: forget it); {@link #save} writes them. */
    public void put(Path path, Entry e) {
        if (e == null) entries.remove(name(path));
        else entries.put(name(path), e);
    }

    /**
     * Writes the positions when they changed since the last write. A failure is said once (until a write succeeds) and
     * is not fatal: the lines are taken all the same, and a restart would read from an older position (some lines again).
     */
    public void save() {
        StringBuilder b = new StringBuilder();
        for (var e : entries.entrySet()) {
            Entry v = e.getValue();
            b.append(VERSION).append('\t').append(escape(e.getKey())).append('\t').append(v.key() == null ? "-" : escape(v.key()))
                    .append('\t').append(v.offset()).append('\t').append(v.fingerprintLength()).append('\t').append(v.fingerprint()).append('\n');
        }
        String text = b.toString();
        if (text.equals(lastWritten)) return;
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            lastWritten = text;
            lastError = null;
        } catch (IOException e) {
            String m = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            if (!m.equals(lastError)) problems.accept(file.toString(), "tail positions not saved (a restart reads some lines again): " + m);
            lastError = m;
        }
    }

    private void read() {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                problems.accept(file.toString(), "longer than " + MAX_BYTES + " bytes, not read: tailed files start at their end");
                return;
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            problems.accept(file.toString(), "cannot read (" + e.getClass().getSimpleName() + "): tailed files start at their end");
            return;
        }
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) continue;
            if (entries.size() >= MAX_ENTRIES) {
                problems.accept(file.toString() + ":" + (i + 1), "more than " + MAX_ENTRIES + " positions: the rest are not read");
                return;
            }
            String[] f = line.split("\t", -1);
            try {
                if (f.length != 6 || !f[0].equals(VERSION)) throw new IllegalArgumentException("not " + VERSION + " with 6 fields");
                Entry e = new Entry(f[2].equals("-") ? null : unescape(f[2]), Long.parseLong(f[3]), Integer.parseInt(f[4]), f[5]);
                entries.put(unescape(f[1]), e);
            } catch (IllegalArgumentException e) { // NumberFormatException too
                problems.accept(file.toString() + ":" + (i + 1), "not a tail position (" + e.getMessage() + "), skipped: that file starts at its end");
            }
        }
        lastWritten = null;
    }

    static String name(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    /** The SHA-256 (hex) of {@code ch}'s first {@code n} bytes (fewer when the file is shorter: then it matches nothing kept). */
    static String fingerprintOf(FileChannel ch, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        long at = 0;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, at);
            if (r <= 0) break;
            at += r;
        }
        if (buf.hasRemaining()) return "short";
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(buf.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Tab, newline, carriage return and '%' as %XX: a path may hold any of them. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '%' -> b.append("%25");
                case '\t' -> b.append("%09");
                case '\n' -> b.append("%0A");
                case '\r' -> b.append("%0D");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String unescape(String s) {
        if (s.indexOf('%') < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                b.append(c);
                continue;
            }
            if (i + 2 >= s.length()) throw new IllegalArgumentException("a cut %-escape");
            switch (s.substring(i + 1, i + 3)) {
                case "25" -> b.append('%');
                case "09" -> b.append('\t');
                case "0A" -> b.append('\n');
                case "0D" -> b.append('\r');
                default -> throw new IllegalArgumentException("an unknown %-escape");
            }
            i += 2;
        }
        return b.toString();
    }
}
