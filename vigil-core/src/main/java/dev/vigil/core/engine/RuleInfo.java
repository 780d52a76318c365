package dev.vigil.core.engine;

import dev.vigil.core.finding.Severity;
import java.util.List;

/**
 * What a rule is, as data: its id (the output contract's {@code rule}), default severity, one-line description, and
 * the responses it can propose beyond {@code notify}.
 */
public record RuleInfo(String id, Severity severity, String description, List<String> responses) {
    public RuleInfo {
        responses = List.copyOf(responses);
    }
}
