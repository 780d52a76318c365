package dev.vigil.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.engine.Detector;
import dev.vigil.core.engine.DetectorContext;
import dev.vigil.core.engine.Interest;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.policy.Params;
import dev.vigil.scenario.ssh.SshIntrusion;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Replay prepares events ahead only with the detectors that prepare anything (the others' is the identity). */
class ReplayPrepareTest {
    private static final class Plain implements Detector {
        @Override
        public Interest interest() {
            return Interest.of(Set.of(), Set.of());
        }

        @Override
        public void onEvent(SecurityEvent event, DetectorContext ctx) {}
    }

    private static final class Preparing implements Detector {
        @Override
        public Interest interest() {
            return Interest.of(Set.of(), Set.of());
        }

        @Override
        public void onEvent(SecurityEvent event, DetectorContext ctx) {}

        @Override
        public SecurityEvent prepare(SecurityEvent event) {
            return event;
        }
    }

    @Test
    void detectorsWithTheDefaultPrepareAreLeftOut() {
        assertThat(Replay.prepares(new Plain())).isFalse();
        assertThat(Replay.prepares(new Preparing())).isTrue();
        assertThat(Replay.prepares(new SshIntrusion().create(Params.empty("ssh", "params")))).as("the SSH detector classifies ahead").isTrue();
    }
}
