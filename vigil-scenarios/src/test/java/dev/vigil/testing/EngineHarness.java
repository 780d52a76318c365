package dev.vigil.testing;

import dev.vigil.core.engine.ActivePolicy;
import dev.vigil.app.DetectAndRespond;
import dev.vigil.core.engine.Engine;
import dev.vigil.core.engine.InMemoryTimerStore;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.inventory.Inventory;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.PolicyCompiler;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.core.response.Executor;
import dev.vigil.core.response.InMemoryActionLedger;
import dev.vigil.core.response.Responder;
import dev.vigil.policy.Policies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs policies over events in event time, as replay does, collecting findings and problems. For scenario tests:
 * <pre>
 * var h = EngineHarness.of("""
 *     policies:
 *       - name: bastions
 *         detector: bastion-watch
 *         responses: {"*": [notify]}
 *     """, inventory);
 * h.feed(event1, event2).finish(Instant.parse("..."));
 * assertThat(h.rules()).containsExactly("bastion-running");
 * </pre>
 * The YAML is a whole policy file; a {@code security-team} target is added when the text declares no targets.
 */
public final class EngineHarness {
    public final List<Finding> findings = new ArrayList<>();
    public final List<String> problems = new ArrayList<>();
    private final Engine engine;
    private final DetectAndRespond useCase;
    public final PolicySet policies;

    private EngineHarness(PolicySet set, Inventory inventory, Executor executor) {
        this.policies = set;
        PolicyCompiler compiler = new PolicyCompiler(Policies.registry());
        List<ActivePolicy> active = set.enabled().stream().map(d -> new ActivePolicy(d, compiler.instantiate(d))).toList();
        Responder responder = new Responder(set.self(), set.exemptions(), set.targets(), new InMemoryActionLedger(), executor, inventory);
        InMemoryTimerStore timers = new InMemoryTimerStore();
        engine = new Engine(active, timers, inventory);
        useCase = new DetectAndRespond(engine, responder, timers, DetectAndRespond.Records.NONE, findings::add,
                (where, msg) -> problems.add(where + ": " + msg), null);
    }

    public static EngineHarness of(String yaml) {
        return of(yaml, StaticInventory.empty());
    }

    public static EngineHarness of(String yaml, Inventory inventory) {
        return of(yaml, inventory, Executor.planning());
    }

    public static EngineHarness of(String yaml, Inventory inventory, Executor executor) {
        String text = yaml.contains("targets:") ? yaml
                : "targets:\n  security-team:\n    type: stdout\n" + yaml;
        return new EngineHarness(Policies.parse("test-policy.yaml", text), inventory, executor);
    }

    /** The built-in default policy. */
    public static EngineHarness defaults(Inventory inventory) {
        return new EngineHarness(Policies.defaults(), inventory, Executor.planning());
    }

    /** A policy file, e.g. one of examples/policies/ (the enforcing policies the default no longer is). */
    public static EngineHarness file(java.nio.file.Path policy, Inventory inventory) {
        return new EngineHarness(Policies.load(policy), inventory, Executor.planning());
    }

    public EngineHarness feed(SecurityEvent... events) {
        for (SecurityEvent e : events) useCase.accept(e, null);
        return this;
    }

    public EngineHarness feed(List<? extends SecurityEvent> events) {
        events.forEach(e -> useCase.accept(e, null));
        return this;
    }

    public EngineHarness finish(Instant end) {
        useCase.finish(end);
        return this;
    }

    public Engine engine() {
        return engine;
    }

    public List<String> rules() {
        return findings.stream().map(Finding::rule).toList();
    }

    public List<Finding> findings(String rule) {
        return findings.stream().filter(f -> f.rule().equals(rule)).toList();
    }
}
