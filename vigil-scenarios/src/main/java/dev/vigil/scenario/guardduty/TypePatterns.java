package dev.vigil.scenario.guardduty;

import dev.vigil.core.policy.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * GuardDuty finding-type patterns as policies write them: a glob ({@code CryptoCurrency:EC2/*}, {@code *SSHBruteForce},
 * {@code ?} for one character) or, without wildcards, a prefix ({@code Backdoor:EC2/} or a whole type). Case is
 * ignored, so a lower-case pattern does not silently match nothing.
 */
final class TypePatterns {
    private final List<String> sources;
    private final List<Pattern> patterns;

    private TypePatterns(List<String> sources, List<Pattern> patterns) {
        this.sources = List.copyOf(sources);
        this.patterns = List.copyOf(patterns);
    }

    static TypePatterns read(Params p, String key, List<String> def) {
        List<String> raw = p.strings(key, def);
        List<Pattern> out = new ArrayList<>();
        for (String s : raw) {
            String t = s == null ? "" : s.trim();
            if (t.isEmpty()) throw p.error(key, "expected finding types or globs such as CryptoCurrency:EC2/*, found an empty value");
            out.add(compile(t));
        }
        return new TypePatterns(raw, out);
    }

    static Pattern compile(String glob) {
        StringBuilder re = new StringBuilder();
        boolean wild = false;
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> { re.append(".*"); wild = true; }
                case '?' -> { re.append('.'); wild = true; }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (!wild) re.append(".*"); // a plain value is a prefix
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    boolean matches(String type) {
        if (type == null) return false;
        for (Pattern p : patterns) {
            if (p.matcher(type).matches()) return true;
        }
        return false;
    }

    boolean isEmpty() {
        return patterns.isEmpty();
    }

    @Override
    public String toString() {
        return String.join(", ", sources);
    }
}
