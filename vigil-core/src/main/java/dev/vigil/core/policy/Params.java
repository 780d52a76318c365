package dev.vigil.core.policy;

import dev.vigil.core.finding.Severity;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Typed reader over one mapping of a policy file. Every getter records the key as known; {@link #finish()} then
 * rejects any key nobody asked for, so a misspelt parameter is an error rather than a silently ignored default.
 */
public final class Params {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)\\s*(ms|d|h|m|s)");

    private final PolicyNode node;
    private final Set<String> known = new LinkedHashSet<>();
    private final List<Params> children = new ArrayList<>();

    private Params(PolicyNode node) {
        this.node = node;
    }

    /** Params over a mapping node; a null or empty value reads as an empty mapping. */
    public static Params of(PolicyNode node) {
        if (node.value() != null && !node.isMap()) throw new PolicyException(node, "expected a mapping, found " + node.shape());
        return new Params(node.value() == null ? PolicyNode.emptyMap(node.file(), node.line(), node.path()) : node);
    }

    public static Params empty(String file, String path) {
        return new Params(PolicyNode.emptyMap(file, 0, path));
    }

    public PolicyNode node() {
        return node;
    }

    public boolean has(String key) {
        known.add(key);
        PolicyNode n = node.map().get(key);
        return n != null && n.value() != null;
    }

    /** The raw node of a key, or null; the key counts as known. */
    public PolicyNode raw(String key) {
        known.add(key);
        PolicyNode n = node.map().get(key);
        return n == null || n.value() == null ? null : n;
    }

    public PolicyException error(String key, String message) {
        PolicyNode n = node.map().get(key);
        return new PolicyException(n != null ? n : node, n != null ? message : key + ": " + message);
    }

    public String string(String key, String def) {
        PolicyNode n = raw(key);
        if (n == null) return def;
        if (!n.isScalar()) throw new PolicyException(n, "expected a text value, found " + n.shape());
        return n.scalar();
    }

    public String requiredString(String key) {
        String s = string(key, null);
        if (s == null || s.isBlank()) throw error(key, "is required");
        return s;
    }

    public boolean bool(String key, boolean def) {
        String s = string(key, null);
        if (s == null) return def;
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error(key, "expected true or false, found '" + s + "'");
        };
    }

    public int integer(String key, int def, int min, int max) {
        String s = string(key, null);
        if (s == null) return def;
        try {
            int v = Integer.parseInt(s.trim());
            if (v < min || v > max) throw error(key, "expected a whole number from " + min + " to " + max + ", found " + v);
            return v;
        } catch (NumberFormatException e) {
            throw error(key, "expected a whole number from " + min + " to " + max + ", found '" + shown(s) + "'");
        }
    }

    public double number(String key, double def) {
        String s = string(key, null);
        if (s == null) return def;
        double v;
        try {
            v = Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw error(key, "expected a number, found '" + shown(s) + "'");
        }
        if (!Double.isFinite(v)) throw error(key, "expected a finite number, found '" + shown(s) + "'");
        return v;
    }

    /** Durations like {@code 48h}, {@code 10m}, {@code 1h30m}, {@code 2d}, {@code 90s} or ISO-8601 {@code PT48H}. */
    public Duration duration(String key, Duration def) {
        String s = string(key, null);
        if (s == null) return def;
        Duration d = parseDuration(s);
        if (d == null || d.isNegative() || d.isZero()) {
            throw error(key, "expected a positive duration such as 48h, 10m, 1h30m or PT48H (at most " + MAX_DURATION.toDays() + " days), found '"
                    + shown(s) + "'");
        }
        return d;
    }

    /** Far beyond any window or ban a policy needs, and far from overflowing an Instant when added to one. */
    static final Duration MAX_DURATION = Duration.ofDays(3660);

    /** A value as an error shows it: cut short, so a huge value cannot make a huge message. */
    static String shown(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** The duration, or null when it is not one or longer than {@link #MAX_DURATION} (a 20-digit number, say). */
    static Duration parseDuration(String text) {
        Duration d;
        try {
            d = parseDurationUnbounded(text);
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
        return d == null || d.compareTo(MAX_DURATION) > 0 ? null : d;
    }

    private static Duration parseDurationUnbounded(String text) {
        String s = text.trim();
        if (s.startsWith("P") || s.startsWith("p")) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeException e) {
                return null;
            }
        }
        Matcher m = DURATION_PART.matcher(s);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (!s.substring(end, m.start()).isBlank()) return null;
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
            });
            end = m.end();
        }
        return end == 0 || end != s.length() ? null : total;
    }

    public Severity severity(String key, Severity def) {
        String s = string(key, null);
        if (s == null) return def;
        Severity v = Severity.parse(s);
        if (v == null) throw error(key, "expected info, low, medium, high or critical, found '" + s + "'");
        return v;
    }

    public LocalTime time(String key, LocalTime def) {
        String s = string(key, null);
        if (s == null) return def;
        try {
            return LocalTime.parse(s.trim().length() == 4 ? "0" + s.trim() : s.trim());
        } catch (DateTimeException e) {
            throw error(key, "expected a time of day such as 09:00, found '" + s + "'");
        }
    }

    public ZoneId zone(String key, ZoneId def) {
        String s = string(key, null);
        if (s == null) return def;
        try {
            return ZoneId.of(s.trim());
        } catch (DateTimeException e) {
            throw error(key, "expected an IANA time zone such as Europe/Paris or UTC, found '" + s + "'");
        }
    }

    public Pattern regex(String key, Pattern def) {
        String s = string(key, null);
        if (s == null) return def;
        try {
            return Pattern.compile(s);
        } catch (PatternSyntaxException e) {
            throw error(key, "invalid regular expression: " + e.getDescription());
        }
    }

    /** A list of text values; a single scalar reads as a one-element list. */
    public List<String> strings(String key, List<String> def) {
        PolicyNode n = raw(key);
        if (n == null) return def;
        if (n.isScalar()) return List.of(n.scalar());
        if (!n.isList()) throw new PolicyException(n, "expected a list of text values, found " + n.shape());
        List<String> out = new ArrayList<>();
        for (PolicyNode item : n.list()) {
            if (!item.isScalar()) throw new PolicyException(item, "expected a text value, found " + item.shape());
            out.add(item.scalar());
        }
        return List.copyOf(out);
    }

    public List<Integer> integers(String key, List<Integer> def, int min, int max) {
        List<String> raw = strings(key, null);
        if (raw == null) return def;
        List<Integer> out = new ArrayList<>();
        for (String s : raw) {
            try {
                int v = Integer.parseInt(s.trim());
                if (v < min || v > max) throw error(key, "expected whole numbers from " + min + " to " + max + ", found " + v);
                out.add(v);
            } catch (NumberFormatException e) {
                throw error(key, "expected whole numbers, found '" + s + "'");
            }
        }
        return List.copyOf(out);
    }

    public Set<DayOfWeek> days(String key, Set<DayOfWeek> def) {
        List<String> raw = strings(key, null);
        if (raw == null) return def;
        Set<DayOfWeek> out = new TreeSet<>();
        for (String s : raw) {
            DayOfWeek d = dayOf(s);
            if (d == null) throw error(key, "expected day names such as monday or mon, found '" + s + "'");
            out.add(d);
        }
        return out;
    }

    private static DayOfWeek dayOf(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().equals(t) || (t.length() == 3 && d.name().startsWith(t))) return d;
        }
        return null;
    }

    public List<LocalDate> dates(String key, List<LocalDate> def) {
        List<String> raw = strings(key, null);
        if (raw == null) return def;
        List<LocalDate> out = new ArrayList<>();
        for (String s : raw) {
            try {
                out.add(LocalDate.parse(s.trim()));
            } catch (DateTimeException e) {
                throw error(key, "expected dates as YYYY-MM-DD, found '" + s + "'");
            }
        }
        return List.copyOf(out);
    }

    /** A mapping of text to text (tags, say). */
    public Map<String, String> stringMap(String key, Map<String, String> def) {
        PolicyNode n = raw(key);
        if (n == null) return def;
        if (!n.isMap()) throw new PolicyException(n, "expected a mapping, found " + n.shape());
        Map<String, String> out = new LinkedHashMap<>();
        n.map().forEach((k, v) -> {
            if (v.value() != null && !v.isScalar()) throw new PolicyException(v, "expected a text value, found " + v.shape());
            out.put(k, v.scalar() == null ? "" : v.scalar());
        });
        return out;
    }

    /** A nested mapping, as Params checked by {@link #finish()} with this one; empty when absent. */
    public Params child(String key) {
        PolicyNode n = raw(key);
        Params p = n == null ? new Params(PolicyNode.emptyMap(node.file(), node.line(), join(key))) : of(n);
        children.add(p);
        return p;
    }

    /** A list of mappings, each as Params checked by {@link #finish()} with this one. */
    public List<Params> list(String key) {
        PolicyNode n = raw(key);
        if (n == null) return List.of();
        if (!n.isList()) throw new PolicyException(n, "expected a list, found " + n.shape());
        List<Params> out = new ArrayList<>();
        for (PolicyNode item : n.list()) {
            Params p = of(item);
            children.add(p);
            out.add(p);
        }
        return out;
    }

    /** The keys present in this mapping (they count as known). */
    public Set<String> keys() {
        known.addAll(node.map().keySet());
        return node.map().keySet();
    }

    private String join(String key) {
        return node.path().isEmpty() ? key : node.path() + "." + key;
    }

    /** Rejects keys that no getter asked for, here and in every child read. */
    public void finish() {
        for (Map.Entry<String, PolicyNode> e : node.map().entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new PolicyException(e.getValue(), "unknown key '" + e.getKey() + "'"
                        + (known.isEmpty() ? "" : "; expected one of: " + String.join(", ", new TreeSet<>(known))));
            }
        }
        for (Params c : children) c.finish();
    }
}
