package dev.vigil.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The text decoder's byte-level line reader reads what the line reader over a UTF-8 reader (malformed bytes replaced)
 * reads, line for line, length for length: ASCII, other UTF-8, malformed and cut sequences, every line end, lines at
 * and past the limit, lines cut across reads of any size.
 */
class ByteLinesTest {
    private static final long SEED = Long.getLong("vigil.seed", System.nanoTime());

    private static final byte[][] PIECES = {
        "Failed password for root from 192.0.2.1 port 22 ssh2".getBytes(StandardCharsets.UTF_8), "a".getBytes(StandardCharsets.UTF_8),
        "caf\u00e9".getBytes(StandardCharsets.UTF_8), "\u20ac".getBytes(StandardCharsets.UTF_8), "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8),
        {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, {(byte) 0xC3},
        {(byte) 0x80}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {'\n'}, {'\r'}, {'\r', '\n'},
        {'\n', '\n'}, {'\r', '\r', '\n'}, {0x1b, '[', '3', '1', 'm'},
    };

    /** A reader that hands over at most a few bytes a time. */
    private static InputStream chunky(byte[] b, Random r, int most) {
        return new ByteArrayInputStream(b) {
            @Override
            public synchronized int read(byte[] buf, int off, int len) {
                return super.read(buf, off, Math.min(len, 1 + r.nextInt(most)));
            }
        };
    }

    private static List<String> old(byte[] b, int max) throws IOException {
        var dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        BoundedLines r = new BoundedLines(new InputStreamReader(new ByteArrayInputStream(b), dec), max);
        List<String> out = new ArrayList<>();
        String l;
        while ((l = r.next()) != null) out.add(l == BoundedLines.TOO_LONG ? "TOO_LONG " + r.length() : l + " " + r.length());
        return out;
    }

    private static List<String> bytes(InputStream in, int max) throws IOException {
        ByteLines r = new ByteLines(in, max);
        List<String> out = new ArrayList<>();
        String l;
        while ((l = r.next()) != null) out.add(l == BoundedLines.TOO_LONG ? "TOO_LONG " + r.length() : l + " " + r.length());
        return out;
    }

    @Test
    void readsWhatTheReaderReads() throws IOException {
        Random r = new Random(SEED);
        for (int round = 0; round < 200; round++) {
            java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
            int pieces = r.nextInt(round % 10 == 0 ? 20_000 : 200);
            for (int i = 0; i < pieces; i++) {
                byte[] p = PIECES[r.nextInt(PIECES.length)];
                int times = r.nextInt(20) == 0 ? 1 + r.nextInt(3000) : 1;
                for (int k = 0; k < times; k++) o.write(p, 0, p.length);
            }
            byte[] b = o.toByteArray();
            int max = new int[] {1, 3, 16, 80, 300, 65_536}[r.nextInt(6)];
            List<String> want = old(b, max);
            assertThat(bytes(new ByteArrayInputStream(b), max)).as("round %d, max %d (seed %d)", round, max, SEED).isEqualTo(want);
            assertThat(bytes(chunky(b, r, 1 + r.nextInt(70_000)), max)).as("round %d, max %d, cut reads (seed %d)", round, max, SEED).isEqualTo(want);
        }
    }

    @Test
    void aLineFarPastTheLimitIsCountedNotHeld() throws IOException {
        byte[] line = "\u00e9".repeat(3_000_000).getBytes(StandardCharsets.UTF_8); // 6 MB, 3 M characters
        byte[] b = new byte[line.length + 4];
        System.arraycopy(line, 0, b, 0, line.length);
        b[line.length] = '\n';
        b[line.length + 1] = 'o';
        b[line.length + 2] = 'k';
        b[line.length + 3] = '\n';
        assertThat(bytes(new ByteArrayInputStream(b), 100)).containsExactly("TOO_LONG 3000000", "ok 2");
    }
}
