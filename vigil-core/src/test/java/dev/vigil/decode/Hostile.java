package dev.vigil.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Seeds and checks shared by the robustness suites. The base seed is random per run unless {@code -Dvigil.fuzz.seed=N}
 * is given; every case's display name carries it, so a failure names the seed that reproduces it.
 */
final class Hostile {
    static final long BASE = Long.getLong("vigil.fuzz.seed", new SplittableRandom().nextLong());

    private Hostile() {}

    /** {@code n} cases: (case index, case seed), the seed derived from the base seed. */
    static Stream<Arguments> seeds(int n) {
        return IntStream.range(0, n).mapToObj(i -> Arguments.of(i, BASE ^ (0x9E3779B97F4A7C15L * (i + 1))));
    }

    /** What a failure message starts with. */
    static String seed(long caseSeed) {
        return "base seed " + BASE + " (-Dvigil.fuzz.seed=" + BASE + "), case seed " + caseSeed + ": ";
    }

    private static final Pattern WHOLE_FILE =
            Pattern.compile("(binary file, skipped|not a supported input: .*|\\d+ more lines that are not log lines|truncated gzip.*|corrupt gzip.*"
                    + "|cannot read.*)");

    /**
     * Every error is one line naming the input and a position (a line, a record, a log event of a record), or is one
     * of the few errors about a whole file; none looks like a stack trace.
     */
    static void wellFormed(List<String> errors, String name, String why) {
        Pattern positioned = Pattern.compile(Pattern.quote(name) + "(:\\d+| record \\d+( log event \\d+)?): .+");
        for (String e : errors) {
            assertThat(e).as(why + "one line").doesNotContain("\n").doesNotContain("\r");
            assertThat(e).as(why + "no stack trace").doesNotContain("\tat ").doesNotContain("at dev.vigil.").doesNotContain("Exception:");
            boolean ok = positioned.matcher(e).matches()
                    || (e.startsWith(name + ": ") && WHOLE_FILE.matcher(e.substring(name.length() + 2)).matches());
            assertThat(ok).as(why + "error names " + name + " and a position: " + cut(e)).isTrue();
        }
    }

    static String cut(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /** Random text from an alphabet an attacker would use against a log parser. */
    static String noise(SplittableRandom r, int max) {
        String[] tokens = {"<", ">", "[", "]", "\"", "\\", "\\\"", "=", " ", "  ", ":", "-", "+", "T", "Z", ".", "1", "12", "2024-05-01",
            "10:00:00", "Mar", " 6", "<38>1 ", "sshd[1]: ", "type=USER_AUTH msg=audit(", "99999999999999999999", "):", "x@1 k=\"", "\u00e9",
            "\u2028", "\t", "{", "}", "from 192.0.2.1 port 22", "-", "ab"};
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(max + 1);
        while (b.length() < n) b.append(tokens[r.nextInt(tokens.length)]);
        return b.toString();
    }
}
