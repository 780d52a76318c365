package dev.vigil.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.vigil.aws.sqs.SqsSource;
import dev.vigil.live.Daemon;
import dev.vigil.live.LiveRuntime;
import org.junit.jupiter.api.Test;

/**
 * The daemon's architecture rules can fail: each reports the fixture class made to break it (test classes in
 * {@code dev.vigil.live}), and passes on the classes that keep it (the loop, the wiring and the SQS adapter).
 */
class ArchitectureRulesBiteTest {
    static final JavaClasses FIXTURES = new ClassFileImporter().importPackages("dev.vigil.live")
            .that(com.tngtech.archunit.base.DescribedPredicate.describe("the fixtures",
                    c -> c.getName().startsWith("dev.vigil.live.ArchFixtures")));
    static final JavaClasses KEPT = new ClassFileImporter().importClasses(Daemon.class, Daemon.Queue.class, LiveRuntime.class, SqsSource.class);

    static String violations(ArchRule rule, JavaClasses classes) {
        EvaluationResult r = rule.evaluate(classes);
        return r.hasViolation() ? String.join("\n", r.getFailureReport().getDetails()) : "";
    }

    @Test
    void eachRuleReportsTheClassMadeToBreakIt() {
        assertThat(violations(ArchitectureTest.onlyTheSqsAdapterCallsSqs, FIXTURES)).contains("LoopThatCallsSqs");
        assertThat(violations(ArchitectureTest.onlyTheDaemonEntryPointWiresSqs, FIXTURES)).contains("LoopThatWiresTheQueue");
        assertThat(violations(ArchitectureTest.theHttpServerIsOneAdapter, FIXTURES)).contains("LoopThatServes");
        assertThat(violations(ArchitectureTest.micrometerIsOneAdapter, FIXTURES)).contains("LoopThatServes");
        assertThat(violations(ArchitectureTest.theDaemonLoopHoldsNoInfrastructure, FIXTURES))
                .contains("LoopThatCallsSqs", "LoopThatWiresTheQueue", "LoopThatServes");
    }

    @Test
    void theLoopTheWiringAndTheAdapterKeepThem() {
        assertThat(violations(ArchitectureTest.onlyTheSqsAdapterCallsSqs, KEPT)).as("LiveRuntime holds no SQS type").isEmpty();
        assertThat(violations(ArchitectureTest.onlyTheDaemonEntryPointWiresSqs, KEPT)).isEmpty();
        assertThat(violations(ArchitectureTest.theDaemonLoopHoldsNoInfrastructure, KEPT)).isEmpty();
    }
}
