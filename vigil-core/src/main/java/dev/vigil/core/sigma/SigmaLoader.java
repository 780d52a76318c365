package dev.vigil.core.sigma;

import dev.vigil.core.policy.PolicyNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles the YAML documents of one rule file into {@link SigmaRule}s: detections, Sigma v2 correlations, and the
 * legacy {@code | count() [by F] > N} aggregation with {@code timeframe} (compiled as an internal detection plus an
 * {@code event_count} or {@code value_count} correlation). Anything this engine does not evaluate is rejected with
 * file, line and construct.
 */
public final class SigmaLoader {
    private static final Pattern SPAN = Pattern.compile("(\\d{1,9})([smhd])");
    private static final Pattern LEGACY = Pattern.compile(
            "\\s*count\\(\\s*([A-Za-z0-9_.\\-]*)\\s*\\)\\s*(?:by\\s+([A-Za-z0-9_.\\-]+(?:\\s*,\\s*[A-Za-z0-9_.\\-]+)*)\\s*)?(>=|<=|==|>|<|=)\\s*(\\d{1,12})\\s*");
    private static final List<String> TYPES = List.of("event_count", "value_count", "temporal", "temporal_ordered");

    private SigmaLoader() {}

    /** The rules of one file. {@code ruleId} is the file's name without {@code .yml}. */
    public static List<SigmaRule> compile(String file, String ruleId, List<PolicyNode> documents, Map<String, List<String>> placeholders) {
        List<SigmaRule> out = new ArrayList<>();
        int i = 0;
        for (PolicyNode doc : documents) {
            i++;
            if (doc.value() == null) continue; // an empty document (a trailing ---)
            if (!doc.isMap()) throw new SigmaException(file, doc.line(), "document " + i, "a rule must be a mapping, found " + doc.shape());
            out.addAll(document(file, ruleId, doc, placeholders));
        }
        if (out.isEmpty()) throw new SigmaException(file, 1, "file", "holds no rule");
        return out;
    }

    private static List<SigmaRule> document(String file, String ruleId, PolicyNode doc, Map<String, List<String>> placeholders) {
        Map<String, PolicyNode> m = doc.map();
        if (m.containsKey("filter")) {
            throw new SigmaException(file, m.get("filter").line(), "filter", "Sigma meta filters (sigma-filters-specification) are not supported: write the exclusion into the rule");
        }
        if (m.containsKey("action") && m.get("action").isScalar()) {
            throw new SigmaException(file, m.get("action").line(), "action: " + m.get("action").scalar(), "rule collections (action: global/reset/repeat) are not supported");
        }
        SigmaMeta meta = meta(file, ruleId, doc);
        PolicyNode corr = m.get("correlation");
        PolicyNode det = m.get("detection");
        if (corr != null && det != null) throw new SigmaException(file, corr.line(), "correlation", "a document is either a rule or a correlation, not both");
        if (corr != null) return List.of(correlation(file, meta, corr, bool(m.get("generate"))));
        if (det == null || !det.isMap()) throw new SigmaException(file, doc.line(), "detection", det == null ? "is missing" : "must be a mapping");
        logsource(file, m.get("logsource"));

        Map<String, Selection> selections = new LinkedHashMap<>();
        PolicyNode condition = null;
        PolicyNode timeframe = null;
        for (Map.Entry<String, PolicyNode> e : det.map().entrySet()) {
            switch (e.getKey()) {
                case "condition" -> condition = e.getValue();
                case "timeframe" -> timeframe = e.getValue();
                default -> selections.put(e.getKey(), Selection.compile(file, e.getKey(), e.getValue(), placeholders));
            }
        }
        if (condition == null || condition.value() == null) throw new SigmaException(file, det.line(), "detection.condition", "is missing");
        List<PolicyNode> conds = condition.isList() ? condition.list() : List.of(condition);
        List<Condition> parsed = new ArrayList<>();
        String aggregation = null;
        int aggLine = condition.line();
        for (PolicyNode c : conds) {
            if (!c.isScalar()) throw new SigmaException(file, c.line(), "detection.condition", "must be text");
            String text = c.scalar();
            int bar = text.indexOf('|');
            if (bar >= 0) {
                if (conds.size() > 1) throw new SigmaException(file, c.line(), "condition '" + text + "'", "an aggregation in a list of conditions is not supported");
                aggregation = text.substring(bar + 1);
                aggLine = c.line();
                text = text.substring(0, bar);
            }
            parsed.add(new Condition.Parser(file, c.line(), text, selections).parse());
        }
        Condition cond = parsed.size() == 1 ? parsed.get(0) : new Condition.Or(parsed);
        if (aggregation == null) {
            if (timeframe != null) throw new SigmaException(file, timeframe.line(), "detection.timeframe",
                    "without an aggregation (| count() ..., | near ...) the condition is over single records and would not correlate anything:"
                    + " write it as a Sigma correlation (temporal)");
            return List.of(new SigmaRule.Detection(meta, cond, true));
        }
        if (aggregation.trim().startsWith("near ") || aggregation.trim().equals("near")) return near(file, meta, cond, aggregation, aggLine, timeframe, selections);
        // legacy aggregation: an internal detection counted by a correlation of the same file
        Matcher a = LEGACY.matcher(aggregation);
        if (!a.matches()) throw new SigmaException(file, aggLine, "aggregation '|" + aggregation + "'", "only '| count([field]) [by field] > N' (or >=, ==) is supported");
        if (timeframe == null) throw new SigmaException(file, aggLine, "aggregation '|" + aggregation + "'", "needs detection.timeframe");
        Duration span = span(file, timeframe);
        String op = a.group(3);
        long n = Long.parseLong(a.group(4));
        long[] bounds = switch (op) {
            case ">" -> new long[] {n + 1, Long.MAX_VALUE};
            case ">=" -> new long[] {n, Long.MAX_VALUE};
            case "==", "=" -> new long[] {n, n};
            default -> throw new SigmaException(file, aggLine, "aggregation '" + op + " " + n + "'",
                    "an upper bound alone is only known when the window closes: not supported");
        };
        if (bounds[0] < 1) throw new SigmaException(file, aggLine, "aggregation", "a count must be at least 1 to fire on an event");
        String inner = "__" + ruleId + "_base";
        SigmaMeta baseMeta = new SigmaMeta(meta.ruleId(), null, inner, meta.title(), meta.level(), meta.tags(), meta.references(), meta.author(),
                meta.license(), meta.description(), file, meta.line());
        List<String> groupBy = a.group(2) == null ? List.of() : List.of(a.group(2).split("\\s*,\\s*"));
        String field = a.group(1).isEmpty() ? null : a.group(1);
        SigmaRule.Correlation c = new SigmaRule.Correlation(meta, field == null ? "event_count" : "value_count", List.of(inner), groupBy, span,
                bounds[0], bounds[1], field, Map.of(), false, true);
        return List.of(new SigmaRule.Detection(baseMeta, cond, false), c);
    }

    /** Legacy {@code cond | near sel2 [and sel3]}: a temporal correlation of the condition and each selection, no grouping. */
    private static List<SigmaRule> near(String file, SigmaMeta meta, Condition cond, String aggregation, int line, PolicyNode timeframe,
                                        Map<String, Selection> selections) {
        if (timeframe == null) throw new SigmaException(file, line, "aggregation '|" + aggregation + "'", "'near' needs detection.timeframe");
        Duration span = span(file, timeframe);
        String rest = aggregation.trim().substring(4).trim();
        if (rest.isEmpty()) throw new SigmaException(file, line, "aggregation '|" + aggregation + "'", "'near' needs search identifiers");
        List<SigmaRule> out = new ArrayList<>();
        List<String> related = new ArrayList<>();
        String base = "__" + meta.ruleId() + "_near0";
        out.add(new SigmaRule.Detection(internal(meta, base), cond, false));
        related.add(base);
        int i = 1;
        for (String part : rest.split("\\s+and\\s+")) {
            if (part.trim().startsWith("not ")) throw new SigmaException(file, line, "aggregation '|" + aggregation + "'", "'near not' is not supported");
            Condition c = new Condition.Parser(file, line, part, selections).parse();
            String name = "__" + meta.ruleId() + "_near" + i++;
            out.add(new SigmaRule.Detection(internal(meta, name), c, false));
            related.add(name);
        }
        out.add(new SigmaRule.Correlation(meta, "temporal", related, List.of(), span, related.size(), Long.MAX_VALUE, null, Map.of(), false, true));
        return out;
    }

    private static SigmaMeta internal(SigmaMeta meta, String name) {
        return new SigmaMeta(meta.ruleId(), null, name, meta.title(), meta.level(), meta.tags(), meta.references(), meta.author(),
                meta.license(), meta.description(), meta.file(), meta.line());
    }

    private static SigmaRule.Correlation correlation(String file, SigmaMeta meta, PolicyNode node, boolean generate) {
        if (!node.isMap()) throw new SigmaException(file, node.line(), "correlation", "must be a mapping");
        Map<String, PolicyNode> m = node.map();
        for (String k : m.keySet()) {
            if (!List.of("type", "rules", "group-by", "timespan", "condition", "aliases", "generate").contains(k)) {
                throw new SigmaException(file, m.get(k).line(), "correlation." + k, "unknown key");
            }
        }
        String type = scalar(file, m.get("type"), "correlation.type", node.line());
        if (!TYPES.contains(type)) {
            throw new SigmaException(file, m.get("type").line(), "correlation type '" + type + "'",
                    List.of("value_sum", "value_avg", "value_percentile").contains(type) ? "metric correlations are not supported" : "expected one of " + TYPES);
        }
        List<String> rules = strings(file, m.get("rules"), "correlation.rules", node.line());
        if (rules.isEmpty()) throw new SigmaException(file, node.line(), "correlation.rules", "is required");
        List<String> groupBy = m.get("group-by") == null ? List.of() : strings(file, m.get("group-by"), "correlation.group-by", node.line());
        Duration span = span(file, m.get("timespan") == null ? new PolicyNode(file, node.line(), "timespan", null) : m.get("timespan"));
        long min = 1;
        long max = Long.MAX_VALUE;
        String field = null;
        PolicyNode cond = m.get("condition");
        boolean temporal = type.startsWith("temporal");
        if (cond == null) {
            if (!temporal) throw new SigmaException(file, node.line(), "correlation.condition", "is required for " + type);
            min = rules.size();
        } else {
            if (!cond.isMap()) throw new SigmaException(file, cond.line(), "correlation.condition", "must be a mapping such as {gte: 10}");
            boolean lower = false;
            for (Map.Entry<String, PolicyNode> e : cond.map().entrySet()) {
                if (e.getKey().equals("field")) {
                    field = scalar(file, e.getValue(), "correlation.condition.field", cond.line());
                    continue;
                }
                long v;
                try {
                    v = Long.parseLong(scalar(file, e.getValue(), "correlation.condition." + e.getKey(), cond.line()).trim());
                } catch (NumberFormatException ex) {
                    throw new SigmaException(file, e.getValue().line(), "correlation.condition." + e.getKey(), "needs a whole number");
                }
                switch (e.getKey()) {
                    case "gt" -> { min = Math.max(min, v + 1); lower = true; }
                    case "gte" -> { min = Math.max(min, v); lower = true; }
                    case "eq" -> { min = v; max = v; lower = true; }
                    case "lt" -> max = Math.min(max, v - 1);
                    case "lte" -> max = Math.min(max, v);
                    case "neq" -> throw new SigmaException(file, e.getValue().line(), "correlation.condition.neq", "is only known when the window closes: not supported");
                    default -> throw new SigmaException(file, e.getValue().line(), "correlation.condition." + e.getKey(), "unknown operator");
                }
            }
            if (!lower) throw new SigmaException(file, cond.line(), "correlation.condition", "an upper bound alone (lt/lte) is only known when the window closes: not supported");
            if (min < 1) throw new SigmaException(file, cond.line(), "correlation.condition", "a count must be at least 1 to fire on an event");
        }
        if (type.equals("value_count") && field == null) throw new SigmaException(file, node.line(), "correlation.condition.field", "is required for value_count");
        if (!type.equals("value_count") && field != null) throw new SigmaException(file, cond.line(), "correlation.condition.field", "applies to value_count only");
        Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
        PolicyNode al = m.get("aliases");
        if (al != null) {
            if (!al.isMap()) throw new SigmaException(file, al.line(), "correlation.aliases", "must be a mapping");
            for (Map.Entry<String, PolicyNode> e : al.map().entrySet()) {
                if (!e.getValue().isMap()) throw new SigmaException(file, e.getValue().line(), "correlation.aliases." + e.getKey(), "must map rule names to fields");
                Map<String, String> per = new LinkedHashMap<>();
                for (Map.Entry<String, PolicyNode> f : e.getValue().map().entrySet()) {
                    per.put(f.getKey(), scalar(file, f.getValue(), "correlation.aliases." + e.getKey() + "." + f.getKey(), e.getValue().line()));
                }
                aliases.put(e.getKey(), per);
            }
        }
        return new SigmaRule.Correlation(meta, type, rules, groupBy, span, min, max, field, aliases, generate || bool(m.get("generate")), true);
    }

    private static void logsource(String file, PolicyNode ls) {
        if (ls == null || !ls.isMap()) throw new SigmaException(file, ls == null ? 1 : ls.line(), "logsource", "is required (product: aws, service: cloudtrail)");
        Map<String, PolicyNode> m = ls.map();
        String product = m.get("product") == null ? null : m.get("product").scalar();
        String service = m.get("service") == null ? null : m.get("service").scalar();
        if (!"aws".equalsIgnoreCase(product) || (service != null && !"cloudtrail".equalsIgnoreCase(service)) || m.containsKey("category")) {
            String said = m.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().scalar()).collect(java.util.stream.Collectors.joining(", "));
            throw new SigmaException(file, ls.line(), "logsource " + said, "vigil evaluates rules over AWS CloudTrail (product: aws, service: cloudtrail)");
        }
    }

    private static SigmaMeta meta(String file, String ruleId, PolicyNode doc) {
        Map<String, PolicyNode> m = doc.map();
        String title = m.get("title") == null ? null : m.get("title").scalar();
        if (title == null || title.isBlank()) throw new SigmaException(file, doc.line(), "title", "is required");
        String level = m.get("level") == null ? null : m.get("level").scalar();
        if (level != null && !List.of("informational", "low", "medium", "high", "critical").contains(level.toLowerCase(Locale.ROOT))) {
            throw new SigmaException(file, m.get("level").line(), "level '" + level + "'", "expected informational, low, medium, high or critical");
        }
        return new SigmaMeta(ruleId, text(m.get("id")), text(m.get("name")), title, level == null ? null : level.toLowerCase(Locale.ROOT),
                list(m.get("tags")), list(m.get("references")), text(m.get("author")), text(m.get("license")), text(m.get("description")), file, doc.line());
    }

    private static String text(PolicyNode n) {
        return n == null ? null : n.scalar();
    }

    private static boolean bool(PolicyNode n) {
        return n != null && "true".equalsIgnoreCase(String.valueOf(n.scalar()));
    }

    private static List<String> list(PolicyNode n) {
        if (n == null) return List.of();
        if (n.isScalar()) return List.of(n.scalar());
        List<String> out = new ArrayList<>();
        for (PolicyNode x : n.list()) if (x.isScalar()) out.add(x.scalar());
        return out;
    }

    private static String scalar(String file, PolicyNode n, String what, int line) {
        if (n == null || !n.isScalar()) throw new SigmaException(file, n == null ? line : n.line(), what, n == null ? "is required" : "must be text");
        return n.scalar();
    }

    private static List<String> strings(String file, PolicyNode n, String what, int line) {
        if (n == null) throw new SigmaException(file, line, what, "is required");
        if (n.isScalar()) return List.of(n.scalar());
        if (!n.isList()) throw new SigmaException(file, n.line(), what, "must be a list");
        List<String> out = new ArrayList<>();
        for (PolicyNode x : n.list()) out.add(scalar(file, x, what, n.line()));
        return out;
    }

    static Duration span(String file, PolicyNode n) {
        if (n == null || !n.isScalar()) throw new SigmaException(file, n == null ? 1 : n.line(), "timespan", "is required (e.g. 10m)");
        Matcher s = SPAN.matcher(n.scalar().trim());
        if (!s.matches()) throw new SigmaException(file, n.line(), "timespan '" + n.scalar() + "'", "expected a number and s, m, h or d (e.g. 90m)");
        long v = Long.parseLong(s.group(1));
        Duration d = switch (s.group(2)) {
            case "s" -> Duration.ofSeconds(v);
            case "m" -> Duration.ofMinutes(v);
            case "h" -> Duration.ofHours(v);
            default -> Duration.ofDays(v);
        };
        if (d.isZero() || d.compareTo(Duration.ofDays(31)) > 0) throw new SigmaException(file, n.line(), "timespan '" + n.scalar() + "'", "must be between 1s and 31d");
        return d;
    }
}
