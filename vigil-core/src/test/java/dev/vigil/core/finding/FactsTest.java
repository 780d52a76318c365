package dev.vigil.core.finding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A finding's facts keep a LinkedHashMap's contract: insertion order, a put that replaces in place, equality by entries. */
class FactsTest {
    private static Finding finding(FindingDraft d) {
        return d.time(Instant.parse("2025-01-01T00:00:00Z")).toFinding("p", List.of());
    }

    @Test
    void aDraftsFactsKeepTheirOrderAndAReplacedValueKeepsItsPlace() {
        FindingDraft d = FindingDraft.of("r", Severity.HIGH).fact("b", 1).fact("a", "x").fact("c", null).fact("b", 2);
        // a key made at run time (not the literal): found by equals
        String key = new StringBuilder("a").toString();
        Map<String, String> facts = finding(d).facts();
        assertThat(facts.keySet()).containsExactly("b", "a");
        assertThat(facts.values()).containsExactly("2", "x");
        assertThat(facts.get(key)).isEqualTo("x");
        assertThat(facts.containsKey("c")).isFalse(); // a null value is left out
        assertThat(facts.get("missing")).isNull();
        Map<String, String> same = new LinkedHashMap<>();
        same.put("b", "2");
        same.put("a", "x");
        assertThat(facts).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(same).isEqualTo(facts);
        assertThat(facts).hasToString(same.toString());
    }

    @Test
    void manyFactsGrowTheDraftAndAFindingCannotBeChanged() {
        FindingDraft d = FindingDraft.of("r", Severity.LOW);
        for (int i = 0; i < 40; i++) d.fact("k" + i, i);
        Finding f = finding(d);
        assertThat(f.facts()).hasSize(40).containsEntry("k0", "0").containsEntry("k39", "39");
        assertThat(f.facts().keySet()).startsWith("k0", "k1", "k2").endsWith("k39");
        assertThatThrownBy(() -> f.facts().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> f.facts().entrySet().iterator().next().setValue("y")).isInstanceOf(UnsupportedOperationException.class);
        d.fact("later", "v"); // the draft goes on: the finding made before does not change
        assertThat(f.facts()).doesNotContainKey("later");
        assertThat(finding(d).facts()).containsEntry("later", "v");
    }

    @Test
    void aFindingCopiesAnotherMapInItsOrderKeepsNullsAndKeepsFactsAsTheyAre() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("z", "1");
        m.put("y", null);
        Facts f = Facts.copyOf(m);
        m.put("w", "3");
        assertThat(f.keySet()).containsExactly("z", "y");
        assertThat(f.containsKey("y")).isTrue();
        assertThat(f.get("y")).isNull();
        assertThat(Facts.copyOf(f)).isSameAs(f);
        assertThat(Facts.copyOf(null)).isEmpty();
        Finding x = new Finding("r", "p", Severity.LOW, Instant.EPOCH, null, null, null, null, "s", List.of(), List.of(), f);
        assertThat(x.facts()).isSameAs(f);
        assertThat(x.withActions(List.of()).facts()).isSameAs(f);
    }
}
