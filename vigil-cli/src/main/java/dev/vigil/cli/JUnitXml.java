package dev.vigil.cli;

import java.util.List;

/** {@code vigil test --junit}: the JUnit XML that CI systems read (one testsuite, a testcase per case). */
final class JUnitXml {
    private JUnitXml() {}

    static String of(String suite, List<PolicyCases.Outcome> outcomes) {
        long failures = outcomes.stream().filter(o -> !o.passed()).count();
        double total = outcomes.stream().mapToLong(PolicyCases.Outcome::millis).sum() / 1000.0;
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<testsuite name=\"").append(attr("vigil test " + suite)).append("\" tests=\"").append(outcomes.size()).append("\" failures=\"")
                .append(failures).append("\" errors=\"0\" skipped=\"0\" time=\"").append(total).append("\">\n");
        for (PolicyCases.Outcome o : outcomes) {
            b.append("  <testcase classname=\"").append(attr(suite)).append("\" name=\"").append(attr(o.c().name())).append("\" time=\"")
                    .append(o.millis() / 1000.0).append("\"");
            if (o.passed()) {
                b.append("/>\n");
                continue;
            }
            b.append(">\n    <failure message=\"").append(attr(o.diff().getFirst())).append("\" type=\"expectation\">")
                    .append(attr(String.join("\n", o.diff()))).append("</failure>\n  </testcase>\n");
        }
        return b.append("</testsuite>\n").toString();
    }

    /** Escaped for an attribute or text node; characters XML 1.0 cannot hold become U+FFFD. */
    static String attr(String s) {
        StringBuilder o = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> o.append("&amp;");
                case '<' -> o.append("&lt;");
                case '>' -> o.append("&gt;");
                case '"' -> o.append("&quot;");
                case '\n' -> o.append("&#10;");
                default -> {
                    boolean ok = c == 0x9 || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
                    o.appendCodePoint(ok ? c : 0xFFFD);
                }
            }
        });
        return o.toString();
    }
}
