package dev.vigil.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.Finding;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.metrics.Metrics;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.store.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil run --tail} stopped and started again while the log grows: the second run reads what was written while
 * it was down, from where the first stopped, so the findings of the whole log are found, and no line is read twice.
 */
class TailRestartTest {
    @TempDir
    Path dir;

    record Run(List<Finding> out, long evaluated, List<String> problems) {}

    /** One daemon over {@code log} on the store {@code db} until {@code events} events are evaluated (or 3 s of quiet). */
    Run run(Path log, Path db, boolean fromStart, boolean keep, long events) throws Exception {
        List<Finding> out = new CopyOnWriteArrayList<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        ReportWriter w = new ReportWriter() {
            @Override
            public void finding(Finding f) {
                out.add(f);
            }

            @Override
            public void summary(RunSummary s) {}
        };
        try (SqliteStore store = SqliteStore.open(db, Clock.systemUTC())) {
            TailerStoreFaultTest.Counting actions = new TailerStoreFaultTest.Counting();
            LivePipeline pipeline = new LivePipeline(TailerStoreFaultTest.POLICY, store, actions, actions, StaticInventory.empty(), Clock.systemUTC(),
                    new Metrics(), w, (where, msg) -> problems.add(where + ": " + msg));
            Daemon d = new Daemon(pipeline, null, List.of(new Daemon.Tail(log, TailerStoreFaultTest.BASTION)), fromStart, Clock.systemUTC(), false,
                    (where, msg) -> problems.add(where + ": " + msg));
            if (keep) d.resumeTails(TailPositions.load(LiveRuntime.tailPositionsFile(db), (where, msg) -> problems.add(where + ": " + msg)));
            Thread t = new Thread(d::run, "daemon");
            t.start();
            long until = System.nanoTime() + 20_000_000_000L;
            while (pipeline.useCase().evaluated() < events && System.nanoTime() < until) Thread.sleep(50);
            Thread.sleep(events == 0 ? 3000 : 700); // a few more polls: nothing more
            d.stop(10_000);
            t.join(10_000);
            return new Run(out, pipeline.useCase().evaluated(), problems);
        }
    }

    @Test
    void aRestartedDaemonReadsTheLinesWrittenWhileItWasDownAndNoneTwice() throws Exception {
        List<String> all = Files.readAllLines(Path.of("examples/ssh/auth-bastion-a.log")).stream().filter(l -> !l.isBlank()).toList();
        int half = all.size() / 2;
        String first = String.join("\n", all.subList(0, half)) + "\n";
        String second = String.join("\n", all.subList(half, all.size())) + "\n";

        // the same two parts each read by a fresh daemon: what a restart finds (its windows start empty again)
        List<String> expected = new java.util.ArrayList<>();
        for (String part : List.of(first, second)) {
            Path p = dir.resolve("fresh-" + part.length()).resolve("auth.log");
            Files.createDirectories(p.getParent());
            Files.writeString(p, part);
            Run r = run(p, p.resolveSibling("vigil.db"), true, false, part.lines().count());
            assertThat(r.evaluated()).isEqualTo(part.lines().count());
            expected.addAll(r.out().stream().map(Finding::rule).toList());
        }
        assertThat(expected).as("the log holds findings").isNotEmpty();

        for (boolean keep : new boolean[] {true, false}) {
            Path sub = dir.resolve(keep ? "kept" : "not-kept");
            Files.createDirectories(sub);
            Path log = sub.resolve("auth.log");
            Path db = sub.resolve("vigil.db");
            Files.writeString(log, "");
            Run a = run(log, db, false, keep, 0); // the first start: an empty log, nothing kept yet
            Files.writeString(log, first, java.nio.file.StandardOpenOption.APPEND);
            Run b = run(log, db, false, keep, half); // keep=false: started at the end, it reads none of it
            Files.writeString(log, second, java.nio.file.StandardOpenOption.APPEND);
            Run c = run(log, db, false, keep, all.size() - half);
            if (keep) {
                assertThat(a.evaluated() + b.evaluated() + c.evaluated()).as("each line once").isEqualTo(all.size());
                assertThat(c.evaluated()).isEqualTo(all.size() - half);
                assertThat(Files.exists(LiveRuntime.tailPositionsFile(db))).isTrue();
                assertThat(java.util.stream.Stream.of(a, b, c).flatMap(r -> r.out().stream()).map(Finding::rule).distinct().sorted().toList())
                        .as("the findings of the whole log").isEqualTo(expected.stream().distinct().sorted().toList());
                assertThat(java.util.stream.Stream.of(a, b, c).flatMap(r -> r.problems().stream()).toList()).isEmpty();
            } else {
                assertThat(b.evaluated() + c.evaluated()).as("what the positions are for: without them every line written while down is lost").isZero();
            }
        }
    }
}
