package dev.vigil.testing;

import dev.vigil.app.DetectAndRespond;
import dev.vigil.core.engine.ActivePolicy;
import dev.vigil.core.engine.Engine;
import dev.vigil.core.engine.ProblemSink;
import dev.vigil.core.engine.TimerStore;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.inventory.Inventory;
import dev.vigil.core.response.Responder;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** The engine with its responses, as replay runs it (the use case with nothing recorded), for rule tests. */
public final class EngineRun {
    private final DetectAndRespond useCase;

    private EngineRun(DetectAndRespond useCase) {
        this.useCase = useCase;
    }

    public static EngineRun of(List<ActivePolicy> active, TimerStore timers, Inventory inventory, Responder responder,
                               Consumer<Finding> findings, ProblemSink problems) {
        return new EngineRun(new DetectAndRespond(new Engine(active, timers, inventory), responder, timers,
                DetectAndRespond.Records.NONE, findings, problems, null));
    }

    public void accept(SecurityEvent e) {
        useCase.accept(e, null);
    }

    public void start(Instant now) {
        useCase.start(now);
    }

    public void fireUpTo(Instant t) {
        useCase.fireUpTo(t, null, null);
    }

    public void finish(Instant end) {
        useCase.finish(end);
    }

    public Engine engine() {
        return useCase.engine();
    }

    public long ruleErrors() {
        return engine().ruleErrors();
    }

    public long duplicates() {
        return engine().duplicates();
    }

    public long events() {
        return engine().events();
    }

    public long findings() {
        return engine().findings();
    }
}
