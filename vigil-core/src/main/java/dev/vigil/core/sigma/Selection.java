package dev.vigil.core.sigma;

import dev.vigil.core.policy.PolicyNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A search identifier: a map (its fields AND-ed) or a list of maps (OR-ed). */
final class Selection {
    final String name;
    final List<List<FieldCondition>> alternatives;
    private final FieldCondition[][] tested; // the alternatives as arrays: matches() walks these, no iterator per record

    private Selection(String name, List<List<FieldCondition>> alternatives) {
        this.name = name;
        this.alternatives = List.copyOf(alternatives);
        this.tested = new FieldCondition[this.alternatives.size()][];
        for (int i = 0; i < tested.length; i++) tested[i] = this.alternatives.get(i).toArray(new FieldCondition[0]);
    }

    boolean matches(SigmaRecord r) {
        for (FieldCondition[] and : tested) {
            boolean ok = true;
            for (FieldCondition c : and) {
                if (!c.matches(r)) {
                    ok = false;
                    break;
                }
            }
            if (ok) return true;
        }
        return false;
    }

    /** Values the field must equal (lower-cased) in every alternative, or null when some alternative does not say. */
    Set<String> required(String field) {
        Set<String> out = new HashSet<>();
        for (List<FieldCondition> and : alternatives) {
            Set<String> best = null;
            for (FieldCondition c : and) {
                if (c.path.name().equals(field) && c.equalities != null && (best == null || c.equalities.size() < best.size())) best = c.equalities;
            }
            if (best == null) return null;
            out.addAll(best);
        }
        return out;
    }

    /** Top-level record fields this selection reads. */
    void fields(Set<String> out) {
        for (List<FieldCondition> and : alternatives) {
            for (FieldCondition c : and) {
                out.add(c.path.top());
                for (ValueTest t : c.tests) if (t instanceof ValueTest.FieldRef f) out.add(f.other().top());
            }
        }
    }

    /** The field paths this selection reads, as the rule names them (fieldref's other fields too). */
    void paths(Set<String> out) {
        for (List<FieldCondition> and : alternatives) {
            for (FieldCondition c : and) {
                out.add(c.path.name());
                for (ValueTest t : c.tests) if (t instanceof ValueTest.FieldRef f) out.add(f.other().name());
            }
        }
    }

    static Selection compile(String file, String name, PolicyNode node, Map<String, List<String>> placeholders) {
        List<List<FieldCondition>> alts = new ArrayList<>();
        if (node.isMap()) {
            alts.add(map(file, node, placeholders));
        } else if (node.isList()) {
            for (PolicyNode item : node.list()) {
                if (item.isMap()) alts.add(map(file, item, placeholders));
                else throw new SigmaException(file, item.line(), "search identifier '" + name + "'",
                        "a list of plain values (keyword search over the whole record) is not supported: name the field");
            }
            if (alts.isEmpty()) throw new SigmaException(file, node.line(), "search identifier '" + name + "'", "is an empty list");
        } else {
            throw new SigmaException(file, node.line(), "search identifier '" + name + "'", "must be a mapping or a list of mappings, found " + node.shape());
        }
        return new Selection(name, alts);
    }

    private static List<FieldCondition> map(String file, PolicyNode node, Map<String, List<String>> placeholders) {
        List<FieldCondition> and = new ArrayList<>();
        for (Map.Entry<String, PolicyNode> e : node.map().entrySet()) {
            and.add(FieldCondition.compile(file, e.getKey(), e.getValue(), placeholders));
        }
        if (and.isEmpty()) throw new SigmaException(file, node.line(), "search identifier", "is an empty mapping");
        return and;
    }
}
