package dev.vigil.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.store.RuntimeStore;
import dev.vigil.testing.FaultyStore;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The tests' store wrappers (timers elsewhere, faults on demand) declare every method of {@link RuntimeStore}, its
 * defaults included: a default left to the interface is the ledger that keeps nothing (no attempt with the claim, no
 * outcome with its completion, no retake), so the handlers under test would run on another ledger than the store's.
 * (In vigil-cli, where both wrappers are visible.) {@code SchedulerBackedStore} once did: the Lambda path's restarts recorded a revoke made before the crash as
 * {@code already-applied}, without its undo, where production (the DynamoDB store itself) records it applied.
 */
class StoreWrappersTest {

    /** The interface's instance methods (abstract and default), as name(parameter types). */
    static Set<String> storeMethods() {
        Set<String> out = new TreeSet<>();
        for (Method m : RuntimeStore.class.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers())) out.add(signature(m));
        }
        return out;
    }

    static List<String> notDeclared(Class<?> wrapper) {
        Set<String> declared = new TreeSet<>();
        for (Method m : wrapper.getDeclaredMethods()) declared.add(signature(m));
        List<String> missing = new ArrayList<>();
        for (String m : storeMethods()) if (!declared.contains(m)) missing.add(m);
        return missing;
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.toString(m.getParameterTypes());
    }

    @Test
    void theWrappersPassOnEveryMethodOfTheStore() {
        assertThat(storeMethods()).as("the ledger's defaulted methods are among those checked")
                .contains("outcome[class java.lang.String, class java.lang.String]", "retake[class java.lang.String]");
        assertThat(notDeclared(SchedulerBackedStore.class)).as("SchedulerBackedStore").isEmpty();
        assertThat(notDeclared(FaultyStore.class)).as("FaultyStore").isEmpty();
    }

    @Test
    void aWrapperLeavingADefaultIsFound() {
        // the check bites: a wrapper that declares only the abstract methods misses the ledger's defaults
        assertThat(notDeclared(OnlyAbstract.class)).contains("outcome[class java.lang.String, class java.lang.String]",
                "retake[class java.lang.String]", "interruptedAttempts[]");
    }

    private abstract static class OnlyAbstract implements RuntimeStore {}
}
