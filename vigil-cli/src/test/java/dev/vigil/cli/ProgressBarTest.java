package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress bar counts bytes read of the total, within one big file too, and says the time left. */
class ProgressBarTest {
    @Test
    void oneBigFileMovesTheBarAndShowsTimeLeft() {
        AtomicLong now = new AtomicLong(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(out, true, StandardCharsets.UTF_8), now::get);
        bar.start(1);
        bar.file(Path.of("big.json.gz"), 0);
        long total = 400L * 1024 * 1024;
        now.set(10_000_000_000L); // 10 s in, a quarter read
        bar.bytes(total / 4, total);
        String shown = out.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("[#######                       ]  25% 100.0 MB of 400.0 MB, 1/1 files, 0 events, 0:30 left");
        assertThat(bar.line(20_000_000_000L)).contains(" 25% ").endsWith("1:00 left"); // nothing more read: the estimate grows
        bar.bytes(total, total);
        assertThat(bar.line(40_000_000_000L)).contains("100% 400.0 MB of 400.0 MB").endsWith("0:00 left");
    }

    @Test
    void replayFeedsItTheBytesOfEachFile() {
        long[] last = {0, 0};
        var progress = new dev.vigil.replay.Replay.Progress() {
            @Override
            public void bytes(long read, long total) {
                assertThat(read).isLessThanOrEqualTo(total);
                last[0] = read;
                last[1] = total;
            }
        };
        var replay = new dev.vigil.replay.Replay(dev.vigil.policy.Policies.defaults(), new dev.vigil.output.ReportWriter() {
            @Override
            public void finding(dev.vigil.core.finding.Finding f) {}

            @Override
            public void summary(dev.vigil.output.RunSummary s) {}
        }, (w, m) -> {}, progress);
        replay.run(new dev.vigil.replay.ReplayOptions(null, java.util.List.of(), java.util.List.of(Path.of("examples/")), null, null, false, null, null));
        assertThat(last[1]).isGreaterThan(10_000);
        assertThat(last[0]).as("every byte of every file read").isEqualTo(last[1]);
    }
}
