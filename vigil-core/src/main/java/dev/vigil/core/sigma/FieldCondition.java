package dev.vigil.core.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.policy.PolicyNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code field|modifier...: value(s)} of a search identifier, compiled. Values are OR-ed ({@code all}: AND-ed);
 * the field matches when any of its leaves (arrays flattened) matches. {@code null} means absent or null.
 */
final class FieldCondition {
    enum Kind { VALUES, NULL, EXISTS }

    private static final Set<String> KNOWN = Set.of("contains", "startswith", "endswith", "all", "cased", "re", "i", "m", "s",
            "cidr", "exists", "base64", "base64offset", "utf16le", "utf16be", "utf16", "wide", "windash", "fieldref", "gt", "gte",
            "lt", "lte", "expand", "neq", "minute", "hour", "day", "week", "month", "year");
    private static final Set<String> TIME_PARTS = Set.of("minute", "hour", "day", "week", "month", "year");
    private static final int MAX_VARIANTS = 1024;

    final FieldPath path;
    final Kind kind;
    final List<ValueTest> tests;
    private final ValueTest[] testArray; // matches() loops over this: no iterator per record and leaf
    final boolean all;
    final boolean negate;
    final boolean exists;
    /**
     * For the index: the lower-cased values of a plain equality, and of a startswith the value as written followed by
     * {@code *} (values are OR-ed: the field equals one or starts with one); null when some value is neither.
     */
    final Set<String> equalities;

    private FieldCondition(FieldPath path, Kind kind, List<ValueTest> tests, boolean all, boolean negate, boolean exists, Set<String> eq) {
        this.path = path;
        this.kind = kind;
        this.tests = List.copyOf(tests);
        this.testArray = this.tests.toArray(new ValueTest[0]);
        this.all = all;
        this.negate = negate;
        this.exists = exists;
        this.equalities = eq;
    }

    boolean matches(SigmaRecord r) {
        switch (kind) {
            case EXISTS -> {
                return path.exists(r) == exists;
            }
            case NULL -> {
                for (JsonNode v : path.leaves(r)) if (!v.isNull()) return false;
                return true;
            }
            default -> {
                List<JsonNode> leaves = path.leaves(r);
                ValueTest[] tests = testArray;
                int n = leaves.size();
                if (negate) {
                    boolean present = false;
                    for (int li = 0; li < n; li++) {
                        JsonNode l = leaves.get(li);
                        if (l.isNull()) continue;
                        present = true;
                        for (ValueTest t : tests) if (t.test(l, r)) return false;
                    }
                    return present;
                }
                if (all) {
                    for (ValueTest t : tests) {
                        boolean hit = false;
                        for (int li = 0; li < n; li++) {
                            JsonNode l = leaves.get(li);
                            if (t.test(l, r)) {
                                hit = true;
                                break;
                            }
                        }
                        if (!hit) return false;
                    }
                    return true;
                }
                for (int li = 0; li < n; li++) {
                    JsonNode l = leaves.get(li);
                    for (ValueTest t : tests) if (t.test(l, r)) return true;
                }
                return false;
            }
        }
    }

    static FieldCondition compile(String file, String key, PolicyNode value, Map<String, List<String>> placeholders) {
        int line = value.line();
        String[] parts = key.split("\\|", -1);
        String field = parts[0];
        if (field.isEmpty()) throw new SigmaException(file, line, "'" + key + "'", "a value without a field (keyword search over the whole record) is not supported");
        List<String> mods = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String m = parts[i];
            if (!KNOWN.contains(m)) throw new SigmaException(file, line, "modifier '" + m + "'", "unknown or unsupported modifier (in '" + key + "')");
            mods.add(m);
        }
        FieldPath path = FieldPath.of(field);
        List<String> raw = new ArrayList<>();
        if (value.value() == null) {
            if (!mods.isEmpty()) throw new SigmaException(file, line, "'" + key + ": null'", "null takes no modifiers");
            return new FieldCondition(path, Kind.NULL, List.of(), false, false, false, null);
        } else if (value.isScalar()) {
            raw.add(value.scalar());
        } else if (value.isList()) {
            for (PolicyNode n : value.list()) {
                if (n.value() == null) throw new SigmaException(file, n.line(), "'" + key + "'", "null cannot be part of a list of values (use its own selection)");
                if (!n.isScalar()) throw new SigmaException(file, n.line(), "'" + key + "'", "a value must be text or a number, found " + n.shape());
                raw.add(n.scalar());
            }
            if (raw.isEmpty()) throw new SigmaException(file, line, "'" + key + "'", "an empty list of values");
        } else {
            throw new SigmaException(file, line, "'" + key + "'", "a value must be text, a number or a list, found a mapping");
        }

        boolean all = mods.contains("all");
        boolean cased = mods.contains("cased");
        boolean negate = mods.contains("neq");
        if (all && raw.size() < 2) throw new SigmaException(file, line, "modifier 'all'", "needs a list of two or more values (the specification forbids it on one)");

        if (mods.contains("exists")) {
            if (mods.size() > 1) throw new SigmaException(file, line, "modifier 'exists'", "combines with no other modifier");
            String v = raw.get(0).trim().toLowerCase(Locale.ROOT);
            if (raw.size() != 1 || !(v.equals("true") || v.equals("false"))) throw new SigmaException(file, line, "modifier 'exists'", "takes true or false");
            return new FieldCondition(path, Kind.EXISTS, List.of(), false, false, v.equals("true"), null);
        }
        // expansion of %placeholders% happens on the values as written, before anything else
        if (mods.contains("expand")) raw = expand(file, line, raw, placeholders);

        List<ValueTest> tests = new ArrayList<>();
        String type = typeModifier(file, line, mods);
        switch (type) {
            case "re" -> {
                int flags = 0;
                int at = mods.indexOf("re");
                for (int i = at + 1; i < mods.size(); i++) {
                    switch (mods.get(i)) {
                        case "i" -> flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                        case "m" -> flags |= Pattern.MULTILINE;
                        case "s" -> flags |= Pattern.DOTALL;
                        default -> { }
                    }
                }
                only(file, line, mods, Set.of("re", "i", "m", "s", "all", "neq", "expand"));
                for (String r : raw) {
                    try {
                        tests.add(new ValueTest.Regex(Pattern.compile(r, flags)));
                    } catch (PatternSyntaxException e) {
                        throw new SigmaException(file, line, "regular expression '" + r + "'", e.getDescription());
                    }
                }
            }
            case "cidr" -> {
                only(file, line, mods, Set.of("cidr", "all", "neq", "expand"));
                for (String r : raw) {
                    Networks.Net n = Networks.parse(r.trim());
                    if (n == null) throw new SigmaException(file, line, "cidr '" + r + "'", "not an IPv4 or IPv6 network");
                    tests.add(new ValueTest.Cidr(n));
                }
            }
            case "gt", "gte", "lt", "lte" -> {
                only(file, line, mods, Set.of(type, "all", "expand"));
                for (String r : raw) tests.add(new ValueTest.Compare(type, number(file, line, type, r)));
            }
            case "fieldref" -> {
                only(file, line, mods, Set.of("fieldref", "contains", "startswith", "endswith", "cased", "all", "neq"));
                String mode = mods.contains("contains") ? "contains" : mods.contains("startswith") ? "startswith" : mods.contains("endswith") ? "endswith" : "equals";
                for (String r : raw) tests.add(new ValueTest.FieldRef(FieldPath.of(r.trim()), cased, mode));
            }
            case "time" -> {
                String part = mods.stream().filter(TIME_PARTS::contains).findFirst().orElseThrow();
                only(file, line, mods, Set.of(part, "neq", "expand"));
                for (String r : raw) tests.add(new ValueTest.TimePart(part, number(file, line, part, r).intValue()));
            }
            default -> {
                List<int[]> values = strings(file, line, key, raw, mods);
                Set<String> eq = new LinkedHashSet<>();
                for (int[] v : values) {
                    Glob g = Glob.of(v, cased);
                    tests.add(new ValueTest.Str(g));
                    String pre = g.prefixText();
                    if (eq != null && g.plain() && g.text().indexOf('*') < 0) eq.add(g.text().toLowerCase(Locale.ROOT));
                    else if (eq != null && pre != null && pre.indexOf('*') < 0) eq.add(pre + "*");
                    else eq = null;
                }
                return new FieldCondition(path, Kind.VALUES, tests, all, negate, false, all || negate || eq == null ? null : Set.copyOf(eq));
            }
        }
        return new FieldCondition(path, Kind.VALUES, tests, all, negate, false, null);
    }

    private static String typeModifier(String file, int line, List<String> mods) {
        List<String> types = new ArrayList<>();
        for (String m : mods) {
            if (m.equals("re") || m.equals("cidr") || m.equals("gt") || m.equals("gte") || m.equals("lt") || m.equals("lte") || m.equals("fieldref")) types.add(m);
            else if (TIME_PARTS.contains(m)) types.add("time");
        }
        if (types.size() > 1) throw new SigmaException(file, line, "modifiers " + types, "cannot be combined");
        for (String m : List.of("i", "m", "s")) {
            if (mods.contains(m) && !types.contains("re")) throw new SigmaException(file, line, "modifier '" + m + "'", "is a flag of 're' and needs it before");
        }
        return types.isEmpty() ? "string" : types.get(0);
    }

    private static void only(String file, int line, List<String> mods, Set<String> allowed) {
        for (String m : mods) {
            if (!allowed.contains(m)) throw new SigmaException(file, line, "modifier '" + m + "'", "cannot be combined with " + mods);
        }
    }

    private static BigDecimal number(String file, int line, String mod, String r) {
        try {
            return new BigDecimal(r.trim());
        } catch (NumberFormatException e) {
            throw new SigmaException(file, line, "modifier '" + mod + "'", "needs a number, found '" + r + "'");
        }
    }

    /** The string modifiers applied in their written order to each value; a value may become several. */
    private static List<int[]> strings(String file, int line, String key, List<String> raw, List<String> mods) {
        List<int[]> values = new ArrayList<>();
        for (String r : raw) values.add(Glob.parse(r));
        String encoding = null; // a utf16 modifier waiting for base64
        for (String m : mods) {
            switch (m) {
                case "contains" -> values = map(values, v -> wrap(v, true, true));
                case "startswith" -> values = map(values, v -> wrap(v, false, true));
                case "endswith" -> values = map(values, v -> wrap(v, true, false));
                case "utf16le", "wide", "utf16be", "utf16" -> encoding = m;
                case "base64", "base64offset" -> {
                    List<int[]> out = new ArrayList<>();
                    for (int[] v : values) {
                        String plain = plainText(file, line, m, v);
                        byte[] bytes = encode(plain, encoding);
                        if (m.equals("base64")) out.add(Glob.literal(Base64.getEncoder().encodeToString(bytes)));
                        else for (String s : offsets(bytes)) out.add(Glob.literal(s));
                    }
                    values = out;
                    encoding = null;
                }
                case "windash" -> {
                    List<int[]> out = new ArrayList<>();
                    for (int[] v : values) windash(v, 0, out);
                    if (out.size() > MAX_VARIANTS) throw new SigmaException(file, line, "modifier 'windash'", "too many dash variants (more than " + MAX_VARIANTS + ")");
                    values = out;
                }
                default -> { } // all, cased, neq, expand: flags handled by the caller
            }
            if (values.size() > MAX_VARIANTS) throw new SigmaException(file, line, "'" + key + "'", "expands to more than " + MAX_VARIANTS + " values");
        }
        if (encoding != null) throw new SigmaException(file, line, "modifier '" + encoding + "'", "is only supported before base64 or base64offset (records are JSON text)");
        return values;
    }

    private interface Op {
        int[] apply(int[] v);
    }

    private static List<int[]> map(List<int[]> in, Op op) {
        List<int[]> out = new ArrayList<>(in.size());
        for (int[] v : in) out.add(op.apply(v));
        return out;
    }

    private static int[] wrap(int[] v, boolean before, boolean after) {
        boolean hasBefore = v.length > 0 && v[0] == Glob.ANY;
        boolean hasAfter = v.length > 0 && v[v.length - 1] == Glob.ANY;
        int extra = (before && !hasBefore ? 1 : 0) + (after && !hasAfter ? 1 : 0);
        int[] out = new int[v.length + extra];
        int i = 0;
        if (before && !hasBefore) out[i++] = Glob.ANY;
        System.arraycopy(v, 0, out, i, v.length);
        if (after && !hasAfter) out[out.length - 1] = Glob.ANY;
        return out;
    }

    private static String plainText(String file, int line, String mod, int[] v) {
        StringBuilder b = new StringBuilder();
        for (int c : v) {
            if (c < 0) throw new SigmaException(file, line, "modifier '" + mod + "'", "cannot encode a value with wildcards (put contains/startswith/endswith after it)");
            b.appendCodePoint(c);
        }
        return b.toString();
    }

    private static byte[] encode(String s, String encoding) {
        if (encoding == null) return s.getBytes(StandardCharsets.UTF_8);
        return switch (encoding) {
            case "utf16be" -> s.getBytes(StandardCharsets.UTF_16BE);
            case "utf16" -> {
                byte[] le = s.getBytes(StandardCharsets.UTF_16LE);
                byte[] out = new byte[le.length + 2];
                out[0] = (byte) 0xff;
                out[1] = (byte) 0xfe;
                System.arraycopy(le, 0, out, 2, le.length);
                yield out;
            }
            default -> s.getBytes(StandardCharsets.UTF_16LE);
        };
    }

    /** The three base64 forms of a value at offsets 0, 1 and 2 of a longer text, as Sigma's base64offset defines them. */
    static List<String> offsets(byte[] value) {
        int[] start = {0, 2, 3};
        int[] endTrim = {0, 3, 2};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] shifted = new byte[value.length + i];
            System.arraycopy(value, 0, shifted, i, value.length);
            String enc = Base64.getEncoder().encodeToString(shifted);
            int cut = (value.length + i) % 3;
            int end = enc.length() - (cut == 0 ? 0 : endTrim[cut]);
            // drop padding and the characters that depend on what follows
            out.add(enc.substring(start[i], Math.max(start[i], end)));
        }
        return out;
    }

    private static final int[] DASHES = {'-', '/', '\u2013', '\u2014', '\u2015'};

    private static void windash(int[] v, int from, List<int[]> out) {
        if (out.size() > MAX_VARIANTS) return;
        for (int i = from; i < v.length; i++) {
            if (v[i] == '-' || v[i] == '/') {
                for (int d : DASHES) {
                    int[] copy = v.clone();
                    copy[i] = d;
                    windash(copy, i + 1, out);
                }
                return;
            }
        }
        out.add(v);
    }

    private static List<String> expand(String file, int line, List<String> raw, Map<String, List<String>> placeholders) {
        List<String> out = new ArrayList<>();
        for (String r : raw) {
            List<StringBuilder> acc = new ArrayList<>(List.of(new StringBuilder()));
            for (int i = 0; i < r.length(); i++) {
                char c = r.charAt(i);
                if (c == '\\' && i + 1 < r.length() && r.charAt(i + 1) == '%') {
                    for (StringBuilder b : acc) b.append('%');
                    i++;
                } else if (c == '%') {
                    int end = r.indexOf('%', i + 1);
                    if (end < 0) throw new SigmaException(file, line, "modifier 'expand'", "unclosed placeholder in '" + r + "'");
                    String name = r.substring(i + 1, end);
                    List<String> vals = placeholders.get(name);
                    if (vals == null || vals.isEmpty()) {
                        throw new SigmaException(file, line, "placeholder %" + name + "%", "has no values: set params.placeholders." + name + " in the policy");
                    }
                    List<StringBuilder> next = new ArrayList<>();
                    for (StringBuilder b : acc) for (String v : vals) next.add(new StringBuilder(b).append(v));
                    if (next.size() > MAX_VARIANTS) throw new SigmaException(file, line, "modifier 'expand'", "expands to more than " + MAX_VARIANTS + " values");
                    acc = next;
                    i = end;
                } else {
                    for (StringBuilder b : acc) b.append(c);
                }
            }
            acc.forEach(b -> out.add(b.toString()));
        }
        return out;
    }
}
