package dev.vigil.core.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.policy.PolicyNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The matcher's quick paths against the slow ones they stand for, over seeded random input (the seed is printed):
 * a path's one leaf without a list ({@link FieldPath#leaves}) against {@link FieldPath#values}; a glob with its folded
 * pattern and length checks against the plain code-point loop it replaced; the index's cached answer per event name
 * against the answer worked out afresh, with names that share a cache slot and names too long to keep.
 */
class MatchPathTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] KEYS = {"a", "b", "type", "a.b", "b.c", "a.b.c", "x", ""};

    private static JsonNode tree(Random rnd, int depth) {
        int k = rnd.nextInt(depth > 4 ? 4 : 10);
        switch (k) {
            case 0 -> { return F.nullNode(); }
            case 1 -> { return F.numberNode(rnd.nextInt(100)); }
            case 2 -> { return F.booleanNode(rnd.nextBoolean()); }
            case 3 -> { return F.textNode(KEYS[rnd.nextInt(KEYS.length)]); }
            case 4, 5, 6 -> {
                ObjectNode o = F.objectNode();
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) o.set(KEYS[rnd.nextInt(KEYS.length)], tree(rnd, depth + 1));
                return o;
            }
            case 7 -> { return MissingNode.getInstance(); }
            default -> {
                ArrayNode a = F.arrayNode();
                int n = rnd.nextInt(3);
                for (int i = 0; i < n; i++) a.add(tree(rnd, depth + 1));
                return a;
            }
        }
    }

    private static String path(Random rnd) {
        int n = rnd.nextInt(20) == 0 ? 30 + rnd.nextInt(8) : 1 + rnd.nextInt(4); // now and then past descend's depth bound
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ".").append(KEYS[rnd.nextInt(KEYS.length)]);
        return b.toString();
    }

    /** A tree whose only path is {@code p}'s segments, down to a leaf: deep paths meet no array and reach something. */
    private static SigmaRecord chain(FieldPath p, JsonNode leaf) {
        JsonNode n = leaf;
        for (int i = p.segments().size() - 1; i >= 1; i--) n = F.objectNode().set(p.segments().get(i), n);
        JsonNode top = n;
        return name -> name.equals(p.segments().get(0)) ? top : null;
    }

    @Test
    void aPathsLeavesAreItsValuesInTheSameOrder() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        int single = 0;
        for (int i = 0; i < 200_000; i++) {
            ObjectNode top = F.objectNode();
            int n = 1 + rnd.nextInt(4);
            for (int j = 0; j < n; j++) top.set(KEYS[rnd.nextInt(KEYS.length)], tree(rnd, 0));
            SigmaRecord r = top::get;
            FieldPath p = FieldPath.of(path(rnd));
            if (rnd.nextInt(10) == 0) r = chain(p, tree(rnd, 3));
            List<JsonNode> values = p.values(r);
            List<JsonNode> leaves = p.leaves(r);
            if (values.size() == 1) single++;
            assertThat(leaves).as("seed %d, path %s, record %s", seed, p.name(), top).hasSameSizeAs(values);
            for (int j = 0; j < values.size(); j++) {
                assertThat(leaves.get(j)).as("seed %d, path %s", seed, p.name()).isSameAs(values.get(j));
            }
            assertThat(p.exists(r)).as("seed %d, path %s", seed, p.name()).isEqualTo(!values.isEmpty());
        }
        assertThat(single).as("seed %d: the quick path was exercised", seed).isGreaterThan(10_000);
    }

    /** The matching Glob did before its quick paths: code point by code point, each folded when they differ. */
    private static boolean reference(int[] p, boolean cased, String s) {
        int[] t = s.codePoints().toArray();
        int ti = 0, pi = 0, star = -1, mark = 0;
        while (ti < t.length) {
            if (pi < p.length && (p[pi] == Glob.ONE || (p[pi] >= 0 && same(p[pi], t[ti], cased)))) {
                ti++;
                pi++;
            } else if (pi < p.length && p[pi] == Glob.ANY) {
                star = pi++;
                mark = ti;
            } else if (star >= 0) {
                pi = star + 1;
                ti = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length && p[pi] == Glob.ANY) pi++;
        return pi == p.length;
    }

    private static boolean same(int a, int b, boolean cased) {
        if (a == b) return true;
        if (cased) return false;
        return Character.toLowerCase(Character.toUpperCase(a)) == Character.toLowerCase(Character.toUpperCase(b));
    }

    // letters whose case maps are unusual: dotted/dotless i, long s, Kelvin and Angstrom signs, sharp s, Greek sigmas,
    // a Deseret pair (outside the BMP), a lone surrogate
    private static final int[] ALPHABET = {'a', 'A', 'i', 'I', 'k', 'K', 's', 'S', 0x130, 0x131, 0x17F, 0x212A, 0x212B, 0xE5, 0xC5,
            0xDF, 0x1E9E, 0x3C3, 0x3C2, 0x3A3, 0x10400, 0x10428, 0xD800, '*', '?', '\\', '0'};

    private static String text(Random rnd, int max) {
        StringBuilder b = new StringBuilder();
        int n = rnd.nextInt(max + 1);
        for (int i = 0; i < n; i++) b.appendCodePoint(ALPHABET[rnd.nextInt(ALPHABET.length)]);
        return b.toString();
    }

    @Test
    void aGlobMatchesWhatTheCodePointLoopMatched() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        int hits = 0;
        for (int i = 0; i < 300_000; i++) {
            String written = text(rnd, 6);
            int[] p = switch (rnd.nextInt(4)) {
                case 0 -> Glob.literal(written);
                case 1 -> { // a startswith
                    int[] l = Glob.literal(written);
                    int[] q = java.util.Arrays.copyOf(l, l.length + 1);
                    q[l.length] = Glob.ANY;
                    yield q;
                }
                default -> Glob.parse(written);
            };
            boolean cased = rnd.nextInt(4) == 0;
            Glob g = Glob.of(p, cased);
            for (int j = 0; j < 4; j++) {
                // texts near the pattern: itself with some letters swapped for others, cut or extended
                String s = rnd.nextBoolean() ? text(rnd, 8) : new String(p.length == 0 ? new int[0] : java.util.Arrays.stream(p)
                        .map(c -> c < 0 || rnd.nextInt(3) == 0 ? ALPHABET[rnd.nextInt(ALPHABET.length)] : c).toArray(), 0, p.length)
                        + (rnd.nextBoolean() ? "" : text(rnd, 2));
                boolean want = reference(p, cased, s);
                if (want) hits++;
                assertThat(g.matches(s)).as("seed %d, pattern %s (cased %s), text %s", seed, java.util.Arrays.toString(p), cased,
                        s.codePoints().mapToObj(Integer::toHexString).toList()).isEqualTo(want);
            }
        }
        assertThat(hits).as("seed %d: matches were exercised", seed).isGreaterThan(10_000);
    }

    private static PolicyNode node(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, PolicyNode> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, node(x)));
            return new PolicyNode("t.yml", 1, "", out);
        }
        if (v instanceof List<?> l) return new PolicyNode("t.yml", 1, "", l.stream().map(MatchPathTest::node).toList());
        return new PolicyNode("t.yml", 1, "", v);
    }

    private static List<SigmaRule> rule(String id, Map<String, Object> detection) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", id);
        doc.put("id", id);
        doc.put("logsource", Map.of("product", "aws", "service", "cloudtrail"));
        doc.put("detection", detection);
        return SigmaLoader.compile(id + ".yml", id, List.of(node(doc)), Map.of());
    }

    private static SigmaRules rules() {
        List<SigmaRule> all = new ArrayList<>();
        all.addAll(rule("any", Map.of("s", Map.of("userAgent", "TruffleHog"), "condition", "s")));
        all.addAll(rule("login", Map.of("s", Map.of("eventName", "ConsoleLogin"), "condition", "s")));
        all.addAll(rule("user1", Map.of("s", Map.of("eventName", List.of("CreateUser", "Aa")), "condition", "s")));
        all.addAll(rule("perm", Map.of("s", Map.of("eventName|startswith", "AddPermission"), "condition", "s")));
        all.addAll(rule("user2", Map.of("s", Map.of("eventName", List.of("createuser", "BB", "AaAa")), "condition", "s")));
        all.addAll(rule("either", Map.of("a", Map.of("eventName", "BBBB"), "b", Map.of("eventName|startswith", "Aa"), "condition", "a or b")));
        return SigmaRules.of(all);
    }

    @Test
    void theCachedAnswerPerEventNameIsTheAnswerWorkedOut() throws Exception {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        // "Aa", "BB" (and "AaAa", "AaBB", "BBAa", "BBBB") share a hash: one cache slot
        List<String> names = new ArrayList<>(List.of("ConsoleLogin", "consolelogin", "CONSOLELOGIN", "CreateUser", "createUser", "Aa", "BB",
                "AaAa", "AaBB", "BBAa", "BBBB", "AddPermission20150331v2", "addpermission", "AddPermissio", "", "RunInstances", "A".repeat(200),
                "Aa" + "x".repeat(SigmaRules.CACHED_NAME), "ConsoleLogin" + "!".repeat(SigmaRules.CACHED_NAME)));
        for (int i = 0; i < 300; i++) names.add(text(rnd, 5));
        SigmaRules rules = rules();
        SigmaRules fresh = rules();
        Map<String, List<String>> want = new LinkedHashMap<>();
        for (String n : names) want.put(n, ids(fresh.resolve(n)));
        assertThat(want.get("ConsoleLogin")).containsExactly("login", "any");
        assertThat(want.get("BB")).containsExactly("user2", "any");
        assertThat(want.get("AaBB")).containsExactly("any", "either");
        assertThat(ids(rules.candidates(null))).containsExactly("any");
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Runnable work = () -> {
            Random r = new Random(seed + Thread.currentThread().threadId());
            try {
                for (int i = 0; i < 100_000; i++) {
                    String n = names.get(r.nextInt(names.size()));
                    assertThat(ids(rules.candidates(n))).as("seed %d, name %s", seed, n).isEqualTo(want.get(n));
                }
            } catch (Throwable t) {
                failed.compareAndSet(null, t);
            }
        };
        Thread a = new Thread(work);
        Thread b = new Thread(work);
        a.start();
        b.start();
        a.join();
        b.join();
        if (failed.get() != null) throw new AssertionError("seed " + seed, failed.get());
    }

    private static List<String> ids(SigmaRule.Detection[] d) {
        return java.util.Arrays.stream(d).map(x -> x.meta().id()).toList();
    }
}
