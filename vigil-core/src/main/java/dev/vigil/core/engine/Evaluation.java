package dev.vigil.core.engine;

import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.policy.PolicyDef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the engine made of one event, one firing of timers, a start or an end: the drafts its rules reported (in the
 * order they were reported), the rules that failed, and the timers that fired. Data only: responding, recording and
 * telling the timer store a timer is done ({@link TimerStore#fired}) are the caller's, in that order, so that a timer
 * whose findings could not be recorded fires again.
 */
public record Evaluation(List<Drafted> drafts, List<RuleFailure> failures, List<Timer> fired) {
    public static final Evaluation EMPTY = new Evaluation(List.of(), List.of(), List.of());

    /** A draft a rule reported, with the policy it ran for and its time ({@code now}: event time). */
    public record Drafted(FindingDraft draft, PolicyDef policy, Instant now) {}

    /** A rule that threw: where (the event's origin, a timer, start) and what, in one line. Never "no match". */
    public record RuleFailure(String where, String message) {}

    public Evaluation {
        drafts = List.copyOf(drafts);
        failures = List.copyOf(failures);
        fired = List.copyOf(fired);
    }

    public boolean isEmpty() {
        return drafts.isEmpty() && failures.isEmpty() && fired.isEmpty();
    }

    /** This evaluation, then {@code next}. */
    public Evaluation then(Evaluation next) {
        if (isEmpty()) return next;
        if (next.isEmpty()) return this;
        List<Drafted> d = new ArrayList<>(drafts);
        d.addAll(next.drafts);
        List<RuleFailure> f = new ArrayList<>(failures);
        f.addAll(next.failures);
        List<Timer> t = new ArrayList<>(fired);
        t.addAll(next.fired);
        return new Evaluation(d, f, t);
    }
}
