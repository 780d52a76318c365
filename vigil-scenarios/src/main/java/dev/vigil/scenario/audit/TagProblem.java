package dev.vigil.scenario.audit;

import java.util.ArrayList;
import java.util.List;

/** One way an instance breaks the tag policy: a required key missing, or present with a value not allowed. */
public record TagProblem(String key, String value, String expected) {
    public boolean missing() {
        return value == null;
    }

    /** A stable identity ("missing:Owner", "wrong:Env=prodd") so the same problem is not reported twice. */
    public String signature() {
        return missing() ? "missing:" + key : "wrong:" + key + "=" + value;
    }

    /** The problems of a tag state; keys whose presence is unknown are not problems (yet). */
    public static List<TagProblem> of(TagState state, List<RequiredTag> required) {
        List<TagProblem> out = new ArrayList<>();
        for (RequiredTag r : required) {
            String v = state.tags().get(r.key());
            if (v != null) {
                if (!r.accepts(v)) out.add(new TagProblem(r.key(), v, r.expectation()));
            } else if (state.missing(r.key())) {
                out.add(new TagProblem(r.key(), null, r.expectation()));
            }
        }
        return List.copyOf(out);
    }

    /** "missing Owner, CostCenter; wrong Environment='prodd' (expected one of [dev, prod])". */
    public static String describe(List<TagProblem> problems) {
        List<String> missing = problems.stream().filter(TagProblem::missing).map(TagProblem::key).toList();
        List<String> wrong = problems.stream().filter(p -> !p.missing())
                .map(p -> p.key() + "='" + p.value() + "' (expected " + p.expected() + ")").toList();
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) parts.add("missing " + String.join(", ", missing));
        if (!wrong.isEmpty()) parts.add("wrong " + String.join(", ", wrong));
        return String.join("; ", parts);
    }
}
