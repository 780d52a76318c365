package dev.vigil.lambda;

import dev.vigil.core.finding.Finding;
import dev.vigil.output.FindingJson;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Where the functions' findings go as they are made: one JSON line each on stdout (the function's log, the same
 * contract as {@code vigil run}), and, when the stack has a findings topic, published there with {@code severity},
 * {@code rule} and {@code policy} as message attributes (for subscription filter policies). A finding that fails to
 * publish is one problem line; it is in the store and the log all the same. Notification targets of the policy are
 * separate (with retries and per-target claims).
 */
final class FindingsOut implements ReportWriter {
    private final PrintStream out;
    private final String topicArn;
    private final Supplier<SnsClient> sns;
    private final BiConsumer<String, String> problems;
    private int count;

    /** @param topicArn the findings topic, or null */
    FindingsOut(PrintStream out, String topicArn, Supplier<SnsClient> sns, BiConsumer<String, String> problems) {
        this.out = out;
        this.topicArn = topicArn;
        this.sns = sns;
        this.problems = problems;
    }

    @Override
    public void finding(Finding f) {
        count++;
        String json = FindingJson.of(f).toString();
        out.println(json);
        if (topicArn == null) return;
        try {
            sns.get().publish(b -> b.topicArn(topicArn).subject(subject(f)).message(json).messageAttributes(new java.util.TreeMap<>(Map.of(
                    "severity", text(f.severity().label()), "rule", text(f.rule()), "policy", text(f.policy()))))); // sorted: one wire form
        } catch (SdkException e) {
            problems.accept("finding " + f.id(), "not published to the findings topic: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
        }
    }

    @Override
    public void summary(RunSummary s) {
        // a function has no end of run: each invocation logs its own line
    }

    /** A line of the function's own (an invocation's summary) among the findings. */
    void log(String line) {
        out.println(line);
    }

    /** Findings written so far. */
    int count() {
        return count;
    }

    /** SNS subjects: ASCII, at most 100 characters, no line breaks. */
    static String subject(Finding f) {
        String s = "vigil " + f.severity().label() + ": " + f.rule() + (f.resource() == null ? "" : " " + f.resource());
        s = s.replaceAll("[^\\x20-\\x7e]", "?");
        return s.length() <= 100 ? s : s.substring(0, 100);
    }

    private static MessageAttributeValue text(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v == null || v.isEmpty() ? "-" : v).build();
    }
}
