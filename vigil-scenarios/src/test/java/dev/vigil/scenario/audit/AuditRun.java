package dev.vigil.scenario.audit;

import dev.vigil.testing.EngineRun;
import dev.vigil.core.engine.ActivePolicy;
import dev.vigil.core.engine.Engine;
import dev.vigil.core.engine.InMemoryTimerStore;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.inventory.Inventory;
import dev.vigil.core.policy.PolicyCompiler;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.core.response.Executor;
import dev.vigil.core.response.InMemoryActionLedger;
import dev.vigil.core.response.Responder;
import dev.vigil.policy.Policies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Like EngineHarness, for one cloudtrail-audit policy, keeping hold of its detector to read its stats. */
final class AuditRun {
    final List<Finding> findings = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    final AuditDetector detector;
    private final EngineRun engine;

    AuditRun(String params, Inventory inventory) {
        String yaml = "targets:\n  security-team:\n    type: stdout\npolicies:\n  - name: audit\n    detector: cloudtrail-audit\n"
                + "    params:\n" + params.indent(6) + "    responses: {\"*\": [notify]}\n    notify: [security-team]\n";
        PolicySet set = Policies.parse("audit-test.yaml", yaml);
        PolicyCompiler compiler = new PolicyCompiler(Policies.registry());
        List<ActivePolicy> active = set.enabled().stream().map(d -> new ActivePolicy(d, compiler.instantiate(d))).toList();
        detector = (AuditDetector) active.get(0).detector();
        Responder responder = new Responder(set.self(), set.exemptions(), set.targets(), new InMemoryActionLedger(), Executor.planning(), inventory);
        engine = EngineRun.of(active, new InMemoryTimerStore(), inventory, responder, findings::add, (w, m) -> problems.add(w + ": " + m));
    }

    AuditRun feed(SecurityEvent... events) {
        for (SecurityEvent e : events) engine.accept(e);
        return this;
    }

    AuditRun finish(String end) {
        engine.finish(Instant.parse(end));
        return this;
    }

    List<String> rules() {
        return findings.stream().map(Finding::rule).toList();
    }
}
