package dev.vigil.scenario.bastion;

import dev.vigil.testing.EngineRun;
import static dev.vigil.scenario.bastion.Bastions.B1;
import static dev.vigil.scenario.bastion.Bastions.B2;
import static dev.vigil.scenario.bastion.Bastions.bastion;
import static dev.vigil.scenario.bastion.Bastions.state;
import static dev.vigil.scenario.bastion.Bastions.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.engine.ActivePolicy;
import dev.vigil.core.engine.Engine;
import dev.vigil.core.engine.InMemoryTimerStore;
import dev.vigil.core.engine.Timer;
import dev.vigil.core.engine.TimerStore;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.inventory.Inventory;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.PolicyCompiler;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.core.response.Executor;
import dev.vigil.core.response.InMemoryActionLedger;
import dev.vigil.core.response.Responder;
import dev.vigil.policy.Policies;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Timers outlive the detector: a second engine with a new detector (nothing in memory) and the same timer store, as
 * the live runtime's durable store will give after a restart, carries on from the timers' data and the inventory.
 */
class BastionRestartTest {
    static final Instant T = t("2025-06-02T10:00:00Z");

    final TimerStore store = new InMemoryTimerStore();
    final List<Finding> findings = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    EngineRun engine(Inventory inv) {
        PolicySet set = Policies.parse("p.yaml", "targets:\n  security-team:\n    type: stdout\n" + Bastions.policy(""));
        PolicyCompiler compiler = new PolicyCompiler(Policies.registry());
        List<ActivePolicy> active = set.enabled().stream().map(d -> new ActivePolicy(d, compiler.instantiate(d))).toList();
        Responder responder = new Responder(set.self(), set.exemptions(), set.targets(), new InMemoryActionLedger(), Executor.planning(), inv);
        return EngineRun.of(active, store, inv, responder, findings::add, (w, m) -> problems.add(w + ": " + m));
    }

    List<Finding> of(String rule) {
        return findings.stream().filter(f -> f.rule().equals(rule)).toList();
    }

    /** Before the restart: B1 starts (launch time unknown to the old inventory), B2 loses its tag. */
    void beforeRestart() {
        EngineRun first = engine(Bastions.fleet());
        first.accept(state(B1, "running", T));
        first.accept(Bastions.deleteTags(T.plus(Duration.ofHours(1)), B2, "isBastion"));
        assertThat(of(BastionWatch.COUNT)).hasSize(1);
        Timer uptime = store.get("bastions", "uptime:" + B1).orElseThrow();
        assertThat(uptime.due()).isEqualTo(T.plus(Duration.ofHours(48)));
        assertThat(uptime.data()).containsEntry("instance", B1).containsEntry("launch", T.toString()).containsEntry("alerts", "0");
        assertThat(store.get("bastions", "daily-report").orElseThrow().data())
                .containsEntry("expected", "2").containsEntry("reference", B1 + "," + B2);
    }

    @Test
    void uptimeAlertAndCountExpectationSurviveARestart() {
        beforeRestart();
        // after the restart the look-up (DescribeInstances) shows what is true now
        StaticInventory now = StaticInventory.empty().add(bastion(B1, "bastion-1", "running", T.minusSeconds(30)))
                .add(Bastions.instance(B2, "bastion-2", "stopped", T.minus(Duration.ofDays(30)), Map.of()));
        EngineRun second = engine(now);
        second.finish(T.plus(Duration.ofHours(72)));
        assertThat(problems).isEmpty();
        assertThat(of(BastionWatch.UPTIME)).extracting(Finding::time).containsExactly(T.plus(Duration.ofHours(48)), T.plus(Duration.ofHours(72)));
        assertThat(of(BastionWatch.UPTIME).get(0).facts()).containsEntry("launch-time", T.toString()).containsEntry("name", "bastion-1")
                .containsEntry("alert", "1");
        assertThat(of(BastionWatch.UPTIME).get(1).facts()).containsEntry("alert", "2");
        // two expected (from before the restart), one now: reminded at each daily check, naming the one removed
        List<Finding> counts = of(BastionWatch.COUNT);
        assertThat(counts).extracting(Finding::time).containsExactly(T.plus(Duration.ofHours(1)), t("2025-06-03T09:00:00Z"),
                t("2025-06-04T09:00:00Z"), t("2025-06-05T09:00:00Z"));
        assertThat(counts.get(1).facts()).containsEntry("expected", "2").containsEntry("removed", "bastion-2 (" + B2 + ")");
    }

    @Test
    void aStopAndStartMissedDuringTheRestartCountsFromTheNewLaunch() {
        beforeRestart();
        Instant relaunch = T.plus(Duration.ofHours(30));
        StaticInventory now = StaticInventory.empty().add(bastion(B1, "bastion-1", "running", relaunch));
        EngineRun second = engine(now);
        second.finish(relaunch.plus(Duration.ofHours(48)).minusSeconds(1));
        assertThat(of(BastionWatch.UPTIME)).isEmpty();
        second.finish(relaunch.plus(Duration.ofHours(48)));
        assertThat(of(BastionWatch.UPTIME)).extracting(Finding::time).containsExactly(relaunch.plus(Duration.ofHours(48)));
    }

    @Test
    void aBastionStoppedDuringTheRestartGetsNoAlert() {
        beforeRestart();
        EngineRun second = engine(StaticInventory.empty().add(bastion(B1, "bastion-1", "stopped", T)));
        second.finish(T.plus(Duration.ofDays(4)));
        assertThat(of(BastionWatch.UPTIME)).isEmpty();
        assertThat(store.get("bastions", "uptime:" + B1)).isEmpty();
        assertThat(of(BastionWatch.REPORT)).isNotEmpty();
    }

    @Test
    void aBastionUntaggedDuringTheRestartGetsNoAlert() {
        beforeRestart();
        EngineRun second = engine(StaticInventory.empty().add(Bastions.instance(B1, "bastion-1", "running", T, Map.of())));
        second.finish(T.plus(Duration.ofDays(4)));
        assertThat(of(BastionWatch.UPTIME)).isEmpty();
    }
}
