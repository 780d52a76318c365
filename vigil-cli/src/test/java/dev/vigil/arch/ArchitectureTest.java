package dev.vigil.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.vigil.live.LiveActions;
import dev.vigil.live.LiveRuntime;
import dev.vigil.live.LiveStores;
import dev.vigil.live.StartupChecks;

/** The core and the scenario rules know nothing of AWS, databases, HTTP or the adapters that use them. */
// the modules' test jars (mvn package puts them on this module's test class path) are tests too
@AnalyzeClasses(packages = "dev.vigil", importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NoTestJars.class})
class ArchitectureTest {

    private static final String[] FORBIDDEN_LIBRARIES = {
        "software.amazon..", "java.sql..", "javax.sql..", "java.net.http..", "org.flywaydb..", "org.sqlite..",
        "com.github.kagkarlsson..", "org.yaml..", "picocli..", "com.sun.net.httpserver..", "org.slf4j..",
        "io.github.resilience4j..", "io.micrometer.."
    };

    @ArchTest
    static final ArchRule coreHasNoInfrastructure = noClasses().that().resideInAnyPackage("dev.vigil.core..", "dev.vigil.scenario..")
            .should().dependOnClassesThat().resideInAnyPackage(FORBIDDEN_LIBRARIES)
            .because("the core and scenario rules are pure: events in, findings and planned responses out");

    @ArchTest
    static final ArchRule coreDoesNotUseAdapters = noClasses().that().resideInAPackage("dev.vigil.core..")
            .should().dependOnClassesThat().resideOutsideOfPackages("dev.vigil.core..", "java..", "com.fasterxml.jackson.databind..",
                    "com.fasterxml.jackson.core..")
            .because("adapters and entry points depend on the core, never the reverse");

    @ArchTest
    static final ArchRule theUseCaseHasNoInfrastructure = noClasses().that().resideInAPackage("dev.vigil.app..")
            .should().dependOnClassesThat().resideInAnyPackage(FORBIDDEN_LIBRARIES)
            .orShould().dependOnClassesThat().resideInAnyPackage("dev.vigil.aws..", "dev.vigil.store..", "dev.vigil.notify..",
                    "dev.vigil.live..", "dev.vigil.lambda..", "dev.vigil.cli..", "dev.vigil.replay..", "dev.vigil.inventory..",
                    "dev.vigil.http..", "dev.vigil.metrics..")
            .because("an event's path reads straight down one use case, the same in replay, daemon and Lambda, over the core's ports");

    @ArchTest
    static final ArchRule onlyTheSqsAdapterCallsSqs = noClasses().that().resideOutsideOfPackage("dev.vigil.aws.sqs..")
            .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk.services.sqs..")
            .because("receiving, deleting and checking the queue is one adapter's (dev.vigil.aws.sqs.SqsSource)");

    @ArchTest
    static final ArchRule onlyTheDaemonEntryPointWiresSqs = noClasses().that().resideOutsideOfPackage("dev.vigil.aws.sqs..")
            .and().doNotBelongToAnyOf(LiveRuntime.class)
            .should().dependOnClassesThat().resideInAPackage("dev.vigil.aws.sqs..")
            .because("the daemon's wiring (LiveRuntime) is the one place a queue is connected; the loop sees only Daemon.Queue,"
                    + " and the Lambda functions get their messages from Lambda");

    @ArchTest
    static final ArchRule theHttpServerIsOneAdapter = noClasses().that().resideOutsideOfPackage("dev.vigil.http..")
            .should().dependOnClassesThat().resideInAPackage("com.sun.net.httpserver..")
            .because("/healthz and /metrics are served by dev.vigil.http alone");

    @ArchTest
    static final ArchRule httpClientsAreTheNotifiers = noClasses().that().resideOutsideOfPackage("dev.vigil.notify..")
            .should().dependOnClassesThat().resideInAPackage("java.net.http..")
            .because("the JDK's HTTP client posts notifications (Slack, webhooks); AWS calls go through the SDK");

    @ArchTest
    static final ArchRule micrometerIsOneAdapter = noClasses().that().resideOutsideOfPackage("dev.vigil.metrics..")
            .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
            .because("the processing path counts into dev.vigil.metrics.Metrics; only it knows the registry");

    @ArchTest
    static final ArchRule sdkInterceptorsAreAwsAdapters = noClasses().that().resideOutsideOfPackage("dev.vigil.aws..")
            .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk.core.interceptor..")
            .because("what hooks into the SDK's calls (the first-call timing, the EC2 request checks) is an AWS adapter");

    @ArchTest
    static final ArchRule theDaemonLoopHoldsNoInfrastructure = noClasses().that().resideInAPackage("dev.vigil.live..")
            .and().doNotBelongToAnyOf(LiveRuntime.class, LiveStores.class, LiveActions.class, StartupChecks.class)
            .should().dependOnClassesThat().resideInAnyPackage(FORBIDDEN_LIBRARIES)
            .orShould().dependOnClassesThat().resideInAnyPackage("dev.vigil.aws.sqs..", "dev.vigil.http..", "dev.vigil.store..",
                    "dev.vigil.aws.dynamo..")
            .because("the daemon's loop, its pipeline, message handling and delivery worker run over ports; the SDK, JDBC and"
                    + " HTTP are wired in by LiveRuntime, LiveStores, LiveActions and StartupChecks");

    @ArchTest
    static final ArchRule theEngineReturnsData = noClasses().that().resideInAPackage("dev.vigil.core.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.vigil.core.response..", "dev.vigil.core.store..")
            .because("the engine returns drafts and failed rules; responding and recording are the use case's");

    @ArchTest
    static final ArchRule scenariosDoNotUseAdapters = noClasses().that().resideInAPackage("dev.vigil.scenario..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.vigil.cli..", "dev.vigil.decode..", "dev.vigil.aws..",
                    "dev.vigil.live..", "dev.vigil.store..", "dev.vigil.notify..", "dev.vigil.lambda..")
            .because("a scenario is rules over the core model");

    @ArchTest
    static final ArchRule lambdaHandlersAreEntryPoints = noClasses().that().resideOutsideOfPackage("dev.vigil.lambda..")
            .should().dependOnClassesThat().resideInAPackage("dev.vigil.lambda..")
            .because("the Lambda handlers only wire the live use case; nothing is built on them");

    @ArchTest
    static final ArchRule onlyTheLambdaPackageKnowsLambda = noClasses().that().resideOutsideOfPackage("dev.vigil.lambda..")
            .should().dependOnClassesThat().resideInAPackage("com.amazonaws.services.lambda..")
            .because("the engine, the daemon and the adapters run the same outside Lambda");

    @ArchTest
    static final ArchRule coreReadsNoClock = noClasses().that().resideInAnyPackage("dev.vigil.core..", "dev.vigil.scenario..")
            .should().callMethod(java.time.Instant.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .because("time is passed in: replay runs in event time");

    /** Leaves out the test jars of the other modules ({@code *-tests.jar}), which {@code DoNotIncludeTests} does not know. */
    static final class NoTestJars implements ImportOption {
        @Override
        public boolean includes(com.tngtech.archunit.core.importer.Location location) {
            return !location.contains("-tests.jar");
        }
    }
}
