package dev.vigil.core.sigma;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** A rule's condition, compiled over its search identifiers. */
sealed interface Condition {
    boolean matches(SigmaRecord r);

    /** Lower-cased values {@code field} must equal whenever this condition holds, or null when it does not say. */
    Set<String> required(String field);

    record Ref(Selection selection) implements Condition {
        @Override
        public boolean matches(SigmaRecord r) {
            return selection.matches(r);
        }

        @Override
        public Set<String> required(String field) {
            return selection.required(field);
        }
    }

    record And(List<Condition> parts) implements Condition {
        @Override
        public boolean matches(SigmaRecord r) {
            for (int i = 0, n = parts.size(); i < n; i++) if (!parts.get(i).matches(r)) return false;
            return true;
        }

        @Override
        public Set<String> required(String field) {
            Set<String> best = null;
            for (Condition c : parts) {
                Set<String> s = c.required(field);
                if (s != null && (best == null || s.size() < best.size())) best = s;
            }
            return best;
        }
    }

    record Or(List<Condition> parts) implements Condition {
        @Override
        public boolean matches(SigmaRecord r) {
            for (int i = 0, n = parts.size(); i < n; i++) if (parts.get(i).matches(r)) return true;
            return false;
        }

        @Override
        public Set<String> required(String field) {
            Set<String> out = new HashSet<>();
            for (Condition c : parts) {
                Set<String> s = c.required(field);
                if (s == null) return null;
                out.addAll(s);
            }
            return out;
        }
    }

    record Not(Condition inner) implements Condition {
        @Override
        public boolean matches(SigmaRecord r) {
            return !inner.matches(r);
        }

        @Override
        public Set<String> required(String field) {
            return null;
        }
    }

    /** Parses a condition expression: or &lt; and &lt; not &lt; "1 of"/"all of" &lt; parentheses. */
    final class Parser {
        private static final Pattern TOKEN = Pattern.compile("\\s*(\\(|\\)|[A-Za-z0-9_*\\-.]+)");
        private static final int MAX_DEPTH = 64;
        private final String file;
        private final int line;
        private final String text;
        private final Map<String, Selection> selections;
        private final List<String> tokens = new ArrayList<>();
        private int pos;
        private int depth;

        Parser(String file, int line, String text, Map<String, Selection> selections) {
            this.file = file;
            this.line = line;
            this.text = text;
            this.selections = selections;
            var m = TOKEN.matcher(text);
            int at = 0;
            while (at < text.length()) {
                if (!m.find(at) || m.start() != at) {
                    if (text.substring(at).isBlank()) break;
                    throw error("unexpected '" + text.substring(at).trim() + "'");
                }
                tokens.add(m.group(1));
                at = m.end();
            }
        }

        Condition parse() {
            if (tokens.isEmpty()) throw error("is empty");
            Condition c = or();
            if (pos < tokens.size()) throw error("unexpected '" + tokens.get(pos) + "'");
            return c;
        }

        private SigmaException error(String why) {
            return new SigmaException(file, line, "condition '" + text + "'", why);
        }

        private String peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        private boolean eat(String word) {
            String t = peek();
            if (t != null && t.equalsIgnoreCase(word)) {
                pos++;
                return true;
            }
            return false;
        }

        private Condition or() {
            List<Condition> parts = new ArrayList<>(List.of(and()));
            while (eat("or")) parts.add(and());
            return parts.size() == 1 ? parts.get(0) : new Or(parts);
        }

        private Condition and() {
            List<Condition> parts = new ArrayList<>(List.of(not()));
            while (eat("and")) parts.add(not());
            return parts.size() == 1 ? parts.get(0) : new And(parts);
        }

        private Condition not() {
            if (eat("not")) {
                if (++depth > MAX_DEPTH) throw error("nested too deeply");
                Condition inner = not();
                depth--;
                return new Not(inner);
            }
            return primary();
        }

        private Condition primary() {
            String t = peek();
            if (t == null) throw error("ends too early");
            if (t.equals("(")) {
                pos++;
                if (++depth > MAX_DEPTH) throw error("nested too deeply");
                Condition c = or();
                depth--;
                if (!eat(")")) throw error("a '(' is not closed");
                return c;
            }
            if (t.equals(")")) throw error("unexpected ')'");
            if (isKeyword(t)) {
                if (t.equals("1") || t.equalsIgnoreCase("all")) {
                    pos++;
                    boolean all = t.equalsIgnoreCase("all");
                    if (!eat("of")) throw error("expected 'of' after '" + t + "'");
                    String pattern = peek();
                    if (pattern == null || pattern.equals("(") || pattern.equals(")")) throw error("expected a search identifier pattern or 'them' after 'of'");
                    pos++;
                    List<Condition> parts = new ArrayList<>();
                    for (Selection s : selections.values()) {
                        boolean hit = pattern.equalsIgnoreCase("them") ? !s.name.startsWith("_") : glob(pattern, s.name);
                        if (hit) parts.add(new Ref(s));
                    }
                    if (parts.isEmpty()) throw error("'" + pattern + "' names no search identifier");
                    if (parts.size() == 1) return parts.get(0);
                    return all ? new And(parts) : new Or(parts);
                }
                throw error("unexpected '" + t + "'");
            }
            if (t.chars().allMatch(Character::isDigit)) throw error("'" + t + " of' is not supported (only '1 of' and 'all of')");
            pos++;
            if (t.contains("*")) throw error("a wildcard identifier '" + t + "' needs '1 of' or 'all of'");
            Selection s = selections.get(t);
            if (s == null) throw error("no search identifier named '" + t + "'");
            return new Ref(s);
        }

        private static boolean isKeyword(String t) {
            return t.equalsIgnoreCase("and") || t.equalsIgnoreCase("or") || t.equalsIgnoreCase("not") || t.equalsIgnoreCase("of")
                    || t.equalsIgnoreCase("all") || t.equals("1") || t.equalsIgnoreCase("them");
        }

        private static boolean glob(String pattern, String name) {
            return Glob.of(Glob.parse(pattern), true).matches(name);
        }
    }
}
