package dev.vigil.core.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/** One compiled value of a field condition, tested against one leaf of the record. */
sealed interface ValueTest {
    boolean test(JsonNode leaf, SigmaRecord record);

    /** The text a string test sees: strings as they are, numbers and booleans as written, objects as compact JSON. */
    static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return null;
        if (n.isTextual()) return n.textValue();
        if (n.isContainerNode()) return n.toString();
        return n.asText();
    }

    /** Wildcard string, case-insensitive unless cased. */
    record Str(Glob glob) implements ValueTest {
        @Override
        public boolean test(JsonNode leaf, SigmaRecord record) {
            String t = text(leaf);
            return t != null && glob.matches(t);
        }
    }

    /** A regular expression; the input is bounded and each match has a step budget (a hostile value cannot stall it). */
    record Regex(Pattern pattern, String literal) implements ValueTest {
        static final int MAX_INPUT = 16_384;

        Regex(Pattern pattern) {
            this(pattern, (pattern.flags() & Pattern.CASE_INSENSITIVE) != 0 ? null : requiredLiteral(pattern.pattern()));
        }

        /**
         * The longest run of plain characters every match must contain ({@code :assumed-role/aws:} of
         * {@code .+:assumed-role/aws:.+}), or null: a value without it is not handed to the regex engine at all.
         * Conservative: any alternation, or a run inside a group, class or quantifier, gives none.
         */
        static String requiredLiteral(String re) {
            if (re.indexOf('|') >= 0 || re.contains("(?")) return null; // alternation, inline flags, look-arounds
            String best = null;
            StringBuilder run = new StringBuilder();
            int depth = 0;
            for (int i = 0; i < re.length(); i++) {
                char c = re.charAt(i);
                char lit;
                int width = 1;
                if (c == '\\') {
                    if (i + 1 >= re.length()) return null;
                    char n = re.charAt(i + 1);
                    if (Character.isLetterOrDigit(n)) { // \d, \w, \b, \Q ...: not a plain character
                        best = longer(best, run);
                        run.setLength(0);
                        i++;
                        continue;
                    }
                    lit = n;
                    width = 2;
                } else if ("()[]{}.^$*+?".indexOf(c) >= 0) {
                    if (c == '(') depth++;
                    if (c == ')') depth--;
                    if (c == '[') { // skip the class
                        int end = re.indexOf(']', i + 2);
                        if (end < 0) return null;
                        i = end;
                    }
                    if (c == '{' || c == '*' || c == '?') {
                        // the character before was optional or repeated: it is not required
                        if (run.length() > 0) run.setLength(run.length() - 1);
                    }
                    best = longer(best, run);
                    run.setLength(0);
                    continue;
                } else {
                    lit = c;
                }
                if (depth != 0) continue;
                char next = i + width < re.length() ? re.charAt(i + width) : 0;
                if (next == '*' || next == '?' || next == '{') {
                    best = longer(best, run);
                    run.setLength(0);
                } else {
                    run.append(lit);
                }
                i += width - 1;
            }
            best = longer(best, run);
            return best != null && best.length() >= 3 ? best : null;
        }

        private static String longer(String best, StringBuilder run) {
            return run.length() > (best == null ? 0 : best.length()) ? run.toString() : best;
        }

        @Override
        public boolean test(JsonNode leaf, SigmaRecord record) {
            String t = text(leaf);
            if (t == null) return false;
            if (t.length() > MAX_INPUT) t = t.substring(0, MAX_INPUT);
            if (literal != null && !t.contains(literal)) return false;
            try {
                return pattern.matcher(new Budgeted(t)).find();
            } catch (StackOverflowError e) {
                // java.util.regex recurses on repeated groups: a long hostile value must not take the thread down
                throw new IllegalStateException("regular expression too deep for a value of " + t.length() + " characters");
            }
        }
    }

    /** An IPv4 or IPv6 network. */
    record Cidr(Networks.Net net) implements ValueTest {
        @Override
        public boolean test(JsonNode leaf, SigmaRecord record) {
            String t = text(leaf);
            return t != null && net.contains(t);
        }
    }

    /** gt / gte / lt / lte against a number (a numeric text counts). */
    record Compare(String op, BigDecimal value) implements ValueTest {
        @Override
        public boolean test(JsonNode leaf, SigmaRecord record) {
            BigDecimal v = number(leaf);
            if (v == null) return false;
            int c = v.compareTo(value);
            return switch (op) {
                case "gt" -> c > 0;
                case "gte" -> c >= 0;
                case "lt" -> c < 0;
                default -> c <= 0;
            };
        }

        static BigDecimal number(JsonNode n) {
            if (n == null) return null;
            if (n.isNumber()) return n.decimalValue();
            if (n.isTextual()) {
                String s = n.textValue().trim();
                if (s.isEmpty() || s.length() > 64) return null;
                try {
                    return new BigDecimal(s);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            return null;
        }
    }

    /** A part of a date field (minute, hour, day, week, month, year) equal to a number. */
    record TimePart(String part, int value) implements ValueTest {
        @Override
        public boolean test(JsonNode leaf, SigmaRecord record) {
            String t = text(leaf);
            if (t == null || t.length() > 64) return false;
            java.time.OffsetDateTime d;
            try {
                d = java.time.OffsetDateTime.parse(t);
            } catch (java.time.format.DateTimeParseException e) {
                try {
                    d = java.time.LocalDateTime.parse(t).atOffset(java.time.ZoneOffset.UTC);
                } catch (java.time.format.DateTimeParseException e2) {
                    return false;
                }
            }
            int v = switch (part) {
                case "minute" -> d.getMinute();
                case "hour" -> d.getHour();
                case "day" -> d.getDayOfMonth();
                case "week" -> d.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR);
                case "month" -> d.getMonthValue();
                default -> d.getYear();
            };
            return v == value;
        }
    }

    /** The value of another field of the same record (fieldref), compared like a plain string. */
    record FieldRef(FieldPath other, boolean cased, String mode) implements ValueTest {
        @Override
        public boolean test(JsonNode leaf, SigmaRecord record) {
            String t = text(leaf);
            if (t == null) return false;
            for (JsonNode o : other.values(record)) {
                String u = text(o);
                if (u == null) continue;
                String a = cased ? t : t.toLowerCase(java.util.Locale.ROOT);
                String b = cased ? u : u.toLowerCase(java.util.Locale.ROOT);
                boolean ok = switch (mode) {
                    case "contains" -> a.contains(b);
                    case "startswith" -> a.startsWith(b);
                    case "endswith" -> a.endsWith(b);
                    default -> a.equals(b);
                };
                if (ok) return true;
            }
            return false;
        }
    }

    /**
     * A character sequence that counts reads: a regular expression that backtracks past its budget throws, and the
     * engine reports the rule as failed on that record instead of taking it as "no match".
     */
    final class Budgeted implements CharSequence {
        static final long BUDGET = 5_000_000;
        private final String s;
        private final long[] steps;

        Budgeted(String s) {
            this(s, new long[] {0});
        }

        private Budgeted(String s, long[] steps) {
            this.s = s;
            this.steps = steps;
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public char charAt(int index) {
            if (++steps[0] > BUDGET) throw new IllegalStateException("regular expression exceeded its step budget on a value of " + s.length() + " characters");
            return s.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budgeted(s.substring(start, end), steps);
        }

        @Override
        public String toString() {
            return s;
        }
    }
}
