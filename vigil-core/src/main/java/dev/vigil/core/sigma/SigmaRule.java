package dev.vigil.core.sigma;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A loaded Sigma rule: a detection over single records, or a correlation over other rules' matches. */
public sealed interface SigmaRule {
    SigmaMeta meta();

    /** Whether a match is reported as a finding (rules a correlation uses are not, unless it says {@code generate}). */
    boolean emits();

    SigmaRule withEmits(boolean emits);

    record Detection(SigmaMeta meta, Condition condition, boolean emits) implements SigmaRule {
        public boolean matches(SigmaRecord r) {
            return condition.matches(r);
        }

        @Override
        public SigmaRule withEmits(boolean e) {
            return new Detection(meta, condition, e);
        }
    }

    /**
     * A correlation. {@code min}/{@code max} bound the count (inclusive; max may be Long.MAX_VALUE); {@code field} is
     * value_count's field; {@code aliases} maps a group-by name to, per related rule, the field it stands for.
     */
    record Correlation(SigmaMeta meta, String type, List<String> related, List<String> groupBy, Duration timespan, long min,
                       long max, String field, Map<String, Map<String, String>> aliases, boolean generate, boolean emits)
            implements SigmaRule {
        public Correlation {
            related = List.copyOf(related);
            groupBy = List.copyOf(groupBy);
            aliases = Map.copyOf(aliases);
        }

        @Override
        public SigmaRule withEmits(boolean e) {
            return new Correlation(meta, type, related, groupBy, timespan, min, max, field, aliases, generate, e);
        }
    }
}
