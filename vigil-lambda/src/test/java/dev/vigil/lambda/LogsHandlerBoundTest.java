package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The CloudWatch Logs function reads no more than Lambda can deliver, whatever the stream holds. */
class LogsHandlerBoundTest {
    @Test
    void anInputLargerThanLambdasPayloadLimitIsRefusedAfterReadingAtMostTheLimit() {
        long[] read = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                read[0]++;
                return 'a';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'a');
                read[0] += len;
                return len;
            }
        };
        assertThatThrownBy(() -> new LogsHandler(null).handleRequest(endless, new ByteArrayOutputStream(), null))
                .isInstanceOf(IOException.class).hasMessageContaining("larger than " + LogsHandler.MAX_INPUT);
        org.assertj.core.api.Assertions.assertThat(read[0]).isLessThanOrEqualTo(LogsHandler.MAX_INPUT + 65_536L);
    }
}
