package dev.vigil.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The gunzip thread fills the chunks the reader is done with again: what is read is still the stream, byte for byte. */
class ThreadedGunzipTest {
    @Test
    void manyChunksReadInPiecesOfEverySizeGiveTheStreamBack() throws IOException {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        // 80 chunks and a part: more than the queue and the free list hold, so chunks are filled again many times
        byte[] data = new byte[(1 << 16) * 80 + 12345];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (r.nextInt(8) == 0 ? r.nextInt(256) : 'a' + i % 26);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(data);
        }
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        try (ThreadedGunzip in = new ThreadedGunzip(new ByteArrayInputStream(gz.toByteArray()), "test")) {
            byte[] buf = new byte[200_000];
            while (true) {
                if (r.nextInt(50) == 0) {
                    int b = in.read();
                    if (b < 0) break;
                    back.write(b);
                    continue;
                }
                int k = in.read(buf, 0, 1 + r.nextInt(buf.length));
                if (k < 0) break;
                back.write(buf, 0, k);
                if (r.nextInt(20) == 0) Thread.onSpinWait(); // let the gunzip thread run ahead now and then
            }
        }
        assertThat(back.toByteArray()).as("seed %d", seed).isEqualTo(data);
    }
}
