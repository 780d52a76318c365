package dev.vigil.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.InstanceId;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.core.response.Executor;
import dev.vigil.metrics.Metrics;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.policy.Policies;
import dev.vigil.store.SqliteStore;
import dev.vigil.testing.FaultyStore;
import dev.vigil.testing.FaultyStore.Point;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store fault while a tailed chunk is processed ({@code vigil run --tail}): the daemon keeps running, the chunk is
 * handed in again once the fault clears, and every finding of the chunk is recorded once: none lost, none twice.
 */
class TailerStoreFaultTest {
    @TempDir
    Path dir;

    static final PolicySet POLICY = Policies.parse("p.yaml", """
            version: 1
            policies:
              - name: ssh
                detector: ssh-intrusion
                responses:
                  "*": [quarantine-instance]
            """);

    static final InstanceId BASTION = InstanceId.of("i-0f9e8d7c6b5a43210");

    /** Every call answered at once, counted (an action applied twice would show here). */
    static final class Counting implements Executor {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public ActionResult execute(dev.vigil.core.finding.ActionPlan plan, Finding finding, boolean dryRun) {
            calls.add(plan.idempotencyKey());
            return ActionResult.of(plan, ActionStatus.APPLIED, "done");
        }
    }

    record Run(List<Finding> out, List<String> problems, Counting actions, FaultyStore store, Throwable thrown, boolean ranOn, long evaluated,
               Metrics metrics) {}

    /**
     * The bastion's log, tailed from its start, one chunk: once {@code after} findings are recorded, the next
     * {@code faults} saves fail.
     */
    Run run(String name, int after, int faults) throws Exception {
        Path log = dir.resolve("auth.log"); // the same name in both runs: the events' ids (and so the findings') hold it
        // a bad line before the findings and one after: each said once, whatever the tries
        Files.writeString(log, "garbage that is no log line\n" + Files.readString(Path.of("examples/ssh/auth-bastion-a.log")) + "more garbage\n");
        List<Finding> out = new CopyOnWriteArrayList<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        Counting actions = new Counting();
        AtomicReference<FaultyStore> faulty = new AtomicReference<>();
        ReportWriter w = new ReportWriter() {
            @Override
            public void finding(Finding f) {
                out.add(f);
                if (out.size() == after) faulty.get().fail(Point.SAVE, faults);
            }

            @Override
            public void summary(RunSummary s) {}
        };
        try (SqliteStore real = SqliteStore.open(dir.resolve(name + ".db"), Clock.systemUTC())) {
            FaultyStore store = new FaultyStore(real).fail(Point.SAVE, after == 0 ? faults : 0);
            faulty.set(store);
            Metrics metrics = new Metrics();
            LivePipeline pipeline = new LivePipeline(POLICY, store, actions, actions, StaticInventory.empty(), Clock.systemUTC(), metrics, w,
                    (where, msg) -> problems.add(where + ": " + msg));
            Daemon d = new Daemon(pipeline, null, List.of(new Daemon.Tail(log, BASTION)), true, Clock.systemUTC(), false,
                    (where, msg) -> problems.add(where + ": " + msg));
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    d.run();
                } catch (Throwable e) {
                    thrown.set(e);
                }
            }, "daemon-" + name);
            t.start();
            BooleanSupplier settled = () -> store.thrown(Point.SAVE) >= faults && out.size() >= 3;
            long until = System.nanoTime() + 20_000_000_000L;
            while (!settled.getAsBoolean() && t.isAlive() && System.nanoTime() < until) Thread.sleep(50);
            Thread.sleep(1500); // a few more polls and ticks: nothing more, nothing twice
            boolean ranOn = t.isAlive();
            d.stop(10_000);
            t.join(10_000);
            return new Run(out, problems, actions, store, thrown.get(), ranOn, pipeline.useCase().evaluated(), metrics);
        }
    }

    @Test
    void aStoreFaultAtTheFirstFindingOfATailedChunkLosesNoFindingAndRepeatsNone() throws Exception {
        check(0);
    }

    @Test
    void aStoreFaultAtALaterFindingOfATailedChunkLosesNoFindingAndRepeatsNone() throws Exception {
        check(1); // the events before it, the first finding's among them, are handled already: not evaluated again
    }

    void check(int after) throws Exception {
        Run clean = run("clean", 0, 0);
        assertThat(clean.thrown()).isNull();
        assertThat(clean.out()).extracting(Finding::rule).as("the chunk holds several findings")
                .contains("ssh-invalid-user", "ssh-disconnect-burst", "ssh-login-after-failures");

        Run faulty = run("faulty", after, 3); // a finding's save fails three times, then the store is back
        assertThat(faulty.thrown()).as("the daemon keeps running").isNull();
        assertThat(faulty.ranOn()).as("the daemon keeps running").isTrue();
        assertThat(faulty.store().thrown(Point.SAVE)).isEqualTo(3);
        assertThat(faulty.out()).extracting(Finding::id).as("every finding of the chunk recorded once")
                .containsExactlyInAnyOrderElementsOf(clean.out().stream().map(Finding::id).toList());
        assertThat(faulty.store().saved()).as("saved once each").isEqualTo(clean.store().saved());
        assertThat(faulty.actions().calls).as("no action taken twice").containsExactlyInAnyOrderElementsOf(clean.actions().calls);
        assertThat(faulty.evaluated()).as("no event evaluated twice").isEqualTo(clean.evaluated()).isPositive();
        assertThat(faulty.metrics().events()).as("each event counted once").isEqualTo(clean.metrics().events());
        assertThat(faulty.metrics().prometheus()).as("the episode counted once").contains("vigil_errors_total{kind=\"tail\"} 1");
        assertThat(clean.problems()).filteredOn(p -> p.contains("auth.log")).as("the bad lines").hasSize(2);
        assertThat(faulty.problems()).filteredOn(p -> p.contains("auth.log") && !p.contains("kept and handed in again")).as("each bad line said once")
                .containsExactlyElementsOf(clean.problems().stream().filter(p -> p.contains("auth.log")).toList());
        assertThat(faulty.problems()).filteredOn(p -> p.contains("kept and handed in again")).as("said once for the episode, on one line")
                .singleElement().satisfies(p -> assertThat(p).contains("IllegalStateException", "database is locked").doesNotContain("\n"));
    }
}
