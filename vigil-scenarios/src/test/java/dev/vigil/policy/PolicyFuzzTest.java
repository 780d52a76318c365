package dev.vigil.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vigil.core.policy.PolicyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The policy loader against hostile files: every failure is a {@link PolicyException} whose message is one line
 * {@code file:line: [key: ]message}, never another exception, a StackOverflowError or an OutOfMemoryError.
 */
class PolicyFuzzTest {
    static final long BASE = Long.getLong("vigil.fuzz.seed", new SplittableRandom().nextLong());
    static final Pattern WHERE = Pattern.compile("p\\.yaml:\\d+: .+");

    static String example() throws IOException {
        return Files.readString(Path.of("examples/policy.yaml"));
    }

    /** Loads, and returns the error message (null when the policy is valid); anything but a PolicyException fails. */
    static String load(String yaml, String why) {
        try {
            Policies.parse("p.yaml", yaml);
            return null;
        } catch (PolicyException e) {
            assertThat(e.getMessage()).as(why + "one line").doesNotContain("\n");
            assertThat(e.getMessage()).as(why + "file:line").matches(WHERE);
            return e.getMessage();
        } catch (Throwable t) {
            fail(why + "not a PolicyException: " + t, t);
            return null;
        }
    }

    @Test
    void aSelfReferencingAliasIsAnErrorWithItsLine() {
        assertThat(load("version: 1\npolicies:\n  - &p\n    name: x\n    again: *p\n", "")).startsWith("p.yaml:5: policies[0].again: ")
                .contains("alias");
        assertThat(load("a: &x [*x]\n", "")).startsWith("p.yaml:1: ").contains("alias");
    }

    @Test
    void aBillionLaughsFileStopsAtTheAliasLimit() {
        StringBuilder b = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for (int i = 0; i < 9; i++) {
            String prev = i == 0 ? "a" : "b" + (i - 1);
            b.append("b").append(i).append(": &b").append(i).append(" [").append(("*" + prev + ",").repeat(9)).append("*").append(prev).append("]\n");
        }
        String m = load(b.toString(), "");
        assertThat(m).matches("p\\.yaml:\\d+: b\\d(\\[\\d+\\])?: more than 20 aliases.*");
        // within the alias limit but expanding to 200,000 values: stopped by the expansion budget
        String d = "a0: &a0 [" + "x,".repeat(1999) + "x]\na1: &a1 [" + "*a0,".repeat(9) + "*a0]\na2: [" + "*a1,".repeat(9) + "*a1]\n";
        String n = load(d, "");
        assertThat(n).contains("aliases expand to more than 100000 values");
    }

    @Test
    void aDurationOfTwentyDigitsNamesItsKey() throws IOException {
        String policy = example().replaceFirst("repeat: 24h", "repeat: 99999999999999999999h");
        assertThat(policy).contains("99999999999999999999h");
        assertThat(load(policy, "")).matches("p\\.yaml:28: .*repeat: expected a positive duration.*");
    }

    @Test
    void deepNestingAndHugeFilesNameALine() {
        String deep = "a:\n" + IntStream.range(1, 80).mapToObj(i -> " ".repeat(i) + "k" + i + ":\n").reduce("", String::concat);
        assertThat(load(deep, "")).matches("p\\.yaml:\\d+: a\\.k1\\..*: nested deeper than 50 levels");
        assertThat(load("a: " + "[".repeat(5000) + "]".repeat(5000), "")).matches("p\\.yaml:1: a(\\[0\\])+: nested deeper than 50 levels");
        assertThat(load("a: \"" + "x".repeat(5 << 20) + "\"", "")).isEqualTo("p.yaml:1: policy file larger than 4 MB, not read");
    }

    static Stream<Arguments> seeds() {
        return IntStream.range(0, 400).mapToObj(i -> Arguments.of(i, BASE ^ (0x9E3779B97F4A7C15L * (i + 1))));
    }

    static final String[] TOKENS = {"&a ", "*a", "&b [*a, *a]", "- ", ": ", "\n", "  ", "[", "]", "{", "}", "!!python/object:os.system ", "~",
        "99999999999999999999", "1e999", "-1", "0", "PT99999999999999H", "\"", "'", "#", "|", ">", "? ", "<<: *a", "\t", "%YAML 1.1\n", "---\n",
        "...\n", "\u0000", "\uFEFF", "vigil-exempt", "threshold: ", "window: ", "99999999999999999999d"};

    @ParameterizedTest(name = "{index}: case seed {1}")
    @MethodSource("seeds")
    void mutatedPoliciesAreValidOrOneLocatedError(int index, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder(example());
        int n = 1 + r.nextInt(5);
        for (int i = 0; i < n; i++) {
            int at = r.nextInt(b.length());
            switch (r.nextInt(3)) {
                case 0 -> b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(30)));
                case 1 -> b.insert(at, TOKENS[r.nextInt(TOKENS.length)]);
                default -> b.insert(at, b.substring(at, Math.min(b.length(), at + r.nextInt(300))));
            }
        }
        load(b.toString(), "base seed " + BASE + " (-Dvigil.fuzz.seed=" + BASE + "), case seed " + seed + ": ");
    }
}
