package dev.vigil.scenario.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.event.SshLogLine;
import dev.vigil.core.policy.Params;
import dev.vigil.scenario.ssh.auth.SshAuthClassifier;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The detector's {@code prepare} (run on a big log's reading thread): the classifier's reading of the line, and the line
 * itself unchanged but for its host, which is the previous prepared line's String when equal (one String for a log's
 * one host, compared by identity on the engine's thread).
 */
class SshPrepareTest {
    private static SshIntrusionDetector detector() {
        return new SshIntrusionDetector(SshSettings.read(Params.empty("test.yaml", "params")));
    }

    @Test
    void aPreparedLineIsTheLineWithItsReadingAndTheLastEqualHostString() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        SshIntrusionDetector d = detector();
        String[] hosts = {"web-1", "web-2", null, "WEB-1", "web-1 "};
        SshLogLine previous = null;
        for (int i = 0; i < 2_000; i++) {
            String host = hosts[rnd.nextInt(hosts.length)];
            SshLines l = new SshLines(SshIntrusionTest.I, host == null ? null : new String(host.toCharArray()), "2024-05-01T10:00:00Z");
            SshLogLine line = l.at(i, 100 + rnd.nextInt(5), "Failed password for root from 203.0.113." + rnd.nextInt(9) + " port 22 ssh2");
            SecurityEvent e = d.prepare(line);
            String what = "seed " + seed + " line " + i;
            assertThat(e).as(what).isInstanceOf(SshLogLine.class);
            SshLogLine p = (SshLogLine) e;
            assertThat(p).as(what).isEqualTo(line); // equals ignores prepared: every other field is the line's
            assertThat(p.host()).as(what).isEqualTo(line.host());
            assertThat(p.prepared()).as(what).isEqualTo(SshAuthClassifier.classify(line.program(), line.message()));
            if (previous != null && line.host() != null && line.host().equals(previous.host())) {
                assertThat(p.host()).as(what).isSameAs(previous.host());
            } else {
                assertThat(p.host()).as(what).isSameAs(line.host());
            }
            assertThat(d.prepare(p)).as(what).isSameAs(p); // prepared once
            previous = p;
        }
    }
}
