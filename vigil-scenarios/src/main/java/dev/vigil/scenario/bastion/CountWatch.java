package dev.vigil.scenario.bastion;

import dev.vigil.core.event.InstanceId;
import dev.vigil.core.finding.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Count integrity. The expected number is configured, or else the count of the first check. The reference is the
 * set of bastions when the count was last as expected; "added" and "removed" are named against it. The expectation
 * and the reference travel in the daily-report timer's data, so a restart resumes them.
 */
final class CountWatch {
    static final String EXPECTED = "expected";
    static final String EXPECTED_SOURCE = "expected-source";
    static final String REFERENCE = "reference";

    /** What a check found. {@code severity} is high while the count is off, info when it is back or only the set changed. */
    record Verdict(Severity severity, TreeSet<InstanceId> bastions, List<InstanceId> added, List<InstanceId> removed,
                   int expected, String expectedSource, boolean wasOff) {
        int count() {
            return bastions.size();
        }

        boolean off() {
            return count() != expected;
        }
    }

    private final Integer configured;
    private int expected;
    private String expectedSource;
    private TreeSet<InstanceId> reference = new TreeSet<>();
    private TreeSet<InstanceId> current = new TreeSet<>();

    CountWatch(Integer configured) {
        this.configured = configured;
    }

    /** The first check: the current set becomes the reference (and the expectation, when none is configured). */
    void start(TreeSet<InstanceId> set, Instant at) {
        current = new TreeSet<>(set);
        reference = new TreeSet<>(set);
        if (configured != null) {
            expected = configured;
            expectedSource = "configured";
        } else {
            expected = set.size();
            expectedSource = "the count at the first check, " + at;
        }
    }

    /** After a restart: the expectation and reference from the timer, the current set re-derived. */
    void restore(Map<String, String> data, TreeSet<InstanceId> set, Instant at) {
        Integer saved = parse(data.get(EXPECTED));
        if (saved == null) {
            start(set, at);
            return;
        }
        expected = configured != null ? configured : saved;
        expectedSource = configured != null ? "configured" : data.getOrDefault(EXPECTED_SOURCE, "saved");
        reference = new TreeSet<>();
        for (String s : data.getOrDefault(REFERENCE, "").split(",")) {
            InstanceId id = TrailCalls.instanceId(s.trim());
            if (id != null) reference.add(id);
        }
        current = new TreeSet<>(set);
    }

    Map<String, String> data() {
        return Map.of(EXPECTED, Integer.toString(expected), EXPECTED_SOURCE, expectedSource,
                REFERENCE, String.join(",", reference.stream().map(InstanceId::value).toList()));
    }

    TreeSet<InstanceId> current() {
        return new TreeSet<>(current);
    }

    /** At the first check with a configured count: off from the start. */
    Optional<Verdict> initial() {
        return current.size() != expected ? Optional.of(verdict(false)) : Optional.empty();
    }

    /** A tag change, launch or termination changed the set: reported when the count is or was off. */
    Optional<Verdict> changed(TreeSet<InstanceId> now) {
        if (now.equals(current)) return Optional.empty();
        boolean wasOff = current.size() != expected;
        current = new TreeSet<>(now);
        return judge(wasOff);
    }

    /** The daily check: reported every day while the count is off. */
    Optional<Verdict> daily(TreeSet<InstanceId> now) {
        boolean wasOff = current.size() != expected;
        current = new TreeSet<>(now);
        return judge(wasOff);
    }

    private Optional<Verdict> judge(boolean wasOff) {
        Verdict v = verdict(wasOff);
        if (v.off()) return Optional.of(v);
        boolean composition = !v.added().isEmpty() || !v.removed().isEmpty();
        reference = new TreeSet<>(current); // as expected again: this is the new reference
        return wasOff || composition ? Optional.of(v) : Optional.empty();
    }

    private Verdict verdict(boolean wasOff) {
        List<InstanceId> added = new ArrayList<>(current);
        added.removeAll(reference);
        List<InstanceId> removed = new ArrayList<>(reference);
        removed.removeAll(current);
        Severity sev = current.size() != expected ? Severity.HIGH : Severity.INFO;
        return new Verdict(sev, new TreeSet<>(current), added, removed, expected, expectedSource, wasOff);
    }

    private static Integer parse(String s) {
        try {
            return s == null ? null : Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
