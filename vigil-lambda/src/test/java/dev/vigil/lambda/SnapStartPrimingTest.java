package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Resource;
import org.junit.jupiter.api.Test;

/** The SnapStart priming hook: registered in a CRaC context, and priming runs the SDK request path in memory only. */
class SnapStartPrimingTest {
    /** A CRaC context as the JVM's global one behaves: runs each registered resource's hooks at a checkpoint. */
    static final class RecordingContext extends Context<Resource> {
        final List<Resource> registered = new ArrayList<>();

        @Override
        public void register(Resource r) {
            registered.add(r);
        }

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) {
            for (Resource r : registered) {
                try {
                    r.beforeCheckpoint(this);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) {}
    }

    @Test
    void theHookIsRegisteredAndPrimesAtTheCheckpoint() {
        RecordingContext context = new RecordingContext();
        SnapStartPriming hook = SnapStartPriming.register(context);
        assertThat(context.registered).containsExactly(hook);
        assertThat(hook.checkpoints()).isZero();
        context.beforeCheckpoint(null);
        assertThat(hook.checkpoints()).isEqualTo(1);
    }

    @Test
    void primingMakesOneRequestPerServiceToTheInMemoryClientOnly() {
        // the priming clients point at https://prime.invalid: a request that left the in-memory client would fail
        // its DNS look-up and throw here, so a normal return with every count is the proof that nothing left
        Map<String, Integer> asked = SnapStartPriming.prime();
        assertThat(asked).isEqualTo(Map.of("sts", 1, "ec2", 1, "dynamodb", 1, "scheduler", 1));
    }

    @Test
    void theGlobalContextTakesTheHookOnAnyJvm() {
        // outside a CRaC JVM org.crac's global context is a no-op one; registering must not fail there (tests, the daemon's JVMs)
        assertThat(SnapStartPriming.register()).isNotNull();
    }
}
