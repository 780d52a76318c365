package dev.vigil.notify;

import static dev.vigil.notify.NotifyFixtures.HOSTILE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageFormatterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MessageFormatter fmt = new MessageFormatter();

    private static List<String> sectionTexts(JsonNode msg) {
        List<String> out = new ArrayList<>();
        for (JsonNode b : msg.path("blocks")) if (b.path("type").asText().equals("section")) out.add(b.path("text").path("text").asText());
        return out;
    }

    @Test
    void slackEscapesMentionsAndCannotForgeLines() throws Exception {
        List<String> msgs = fmt.slack(Notice.of(NotifyFixtures.hostile()), "#sec");
        assertThat(msgs).hasSize(1);
        JsonNode m = JSON.readTree(msgs.get(0));
        assertThat(m.path("channel").asText()).isEqualTo("#sec");
        assertThat(m.path("blocks").get(0).path("type").asText()).isEqualTo("header");
        String text = String.join("\n", sectionTexts(m));
        assertThat(text).contains("*who:* &lt;@channel&gt; &amp;  *fake*");
        assertThat(text).doesNotContain("<@channel>").doesNotContain("\n*fake*");
        // every line starts with a label vigil wrote, an action bullet or the grouped note
        for (String line : text.split("\n")) assertThat(line).matches("(\\*[^*]+:\\*.*|\u2022 .*|_.*_)");
        assertThat(text).contains("*Severity:* high", "*Rule:* sg-open-ssh", "*Resource:* sg-0123456789abcdef0",
                "\u2022 revoke-ingress sg-0123456789abcdef0: applied (revoked &lt;tcp/22&gt;)");
    }

    @Test
    void slackSplitsWithinBlockAndSectionLimits() throws Exception {
        Map<String, String> facts = new LinkedHashMap<>();
        for (int i = 0; i < 400; i++) facts.put("tag-" + i, "<&>".repeat(600)); // each value escapes to well over 3000 before the cap
        var f = NotifyFixtures.finding("r", "i-1", NotifyFixtures.T0, facts, List.of());
        List<String> msgs = fmt.slack(Notice.of(f), null);
        assertThat(msgs.size()).isGreaterThan(1);
        int factLines = 0;
        for (String s : msgs) {
            JsonNode m = JSON.readTree(s);
            assertThat(m.has("channel")).isFalse();
            assertThat(m.path("blocks").size()).isLessThanOrEqualTo(50);
            assertThat(m.path("blocks").get(0).path("text").path("text").asText().length()).isLessThanOrEqualTo(150);
            for (String t : sectionTexts(m)) {
                assertThat(t.length()).isLessThanOrEqualTo(3000);
                assertThat(t).doesNotContain("<").doesNotContain(">");
                assertThat(t).doesNotMatch("(?s).*&(?!amp;|lt;|gt;).*"); // no entity cut in half
                factLines += (int) t.lines().filter(l -> l.startsWith("*tag-")).count();
            }
        }
        assertThat(factLines).isEqualTo(400);
        assertThat(JSON.readTree(msgs.get(0)).path("text").asText()).endsWith("(1/" + msgs.size() + ")");
    }

    @Test
    void packNeverExceedsLimitAndKeepsAllText() {
        List<String> lines = List.of("a".repeat(10), "&amp;".repeat(5), "b".repeat(7));
        List<String> chunks = MessageFormatter.pack(lines, 12);
        chunks.forEach(c -> assertThat(c.length()).isLessThanOrEqualTo(12));
        assertThat(String.join("", chunks).replace("\n", "")).isEqualTo(String.join("", lines));
        chunks.forEach(c -> assertThat(c).doesNotMatch("(?s).*&(?!amp;).*"));
    }

    @Test
    void webhookIsTheContractObjectWithFactsAndGroupCount() throws Exception {
        var n = new Notice(NotifyFixtures.hostile(), 3, NotifyFixtures.T0);
        JsonNode o = JSON.readTree(fmt.webhook(n));
        assertThat(o.path("rule").asText()).isEqualTo("sg-open-ssh");
        assertThat(o.path("severity").asText()).isEqualTo("high");
        assertThat(o.path("facts").path("who").asText()).isEqualTo(HOSTILE); // JSON keeps the value exactly, escaped by the encoder
        assertThat(o.path("actions").get(0).path("status").asText()).isEqualTo("applied");
        assertThat(o.path("grouped").path("count").asInt()).isEqualTo(3);
        assertThat(o.path("grouped").path("since").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(o.path("id").asText()).as("the finding id: receivers dedupe an at-least-once delivery by it").isEqualTo(n.finding().id());
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).startsWith("rule", "policy", "severity", "time");
        assertThat(dev.vigil.output.JsonContract.errors(o)).isEmpty(); // docs/schema/vigil-output.schema.json
        assertThat(dev.vigil.output.JsonContract.errors(JSON.readTree(fmt.webhook(Notice.of(NotifyFixtures.hostile()))))).isEmpty();
    }

    @Test
    void emailTextAndHtmlEscape() {
        var n = Notice.of(NotifyFixtures.hostile());
        String text = fmt.emailText(n);
        assertThat(text).contains("who: <@channel> &  *fake*\n");
        assertThat(text.lines()).noneMatch(l -> l.startsWith("*fake*"));
        String html = fmt.emailHtml(n);
        assertThat(html).contains("<td>&lt;@channel&gt; &amp;  *fake*</td>").doesNotContain("<@channel>");
        assertThat(html).contains("<li>revoke-ingress sg-0123456789abcdef0: applied (revoked &lt;tcp/22&gt;)</li>");
        assertThat(fmt.emailSubject(n)).doesNotContain("\n").startsWith("vigil [HIGH] sg-open-ssh");
    }

    @Test
    void snsSubjectIsShortAsciiOneLine() {
        var f = NotifyFixtures.finding("rule-\u00e9\n" + "x".repeat(300), "i-1", NotifyFixtures.T0, Map.of(), List.of());
        String s = fmt.snsSubject(Notice.of(f));
        assertThat(s.length()).isLessThan(100);
        assertThat(s).matches("[\\x20-\\x7e]+").startsWith("vigil [HIGH] rule-? x");
        assertThat(fmt.snsBody(Notice.of(NotifyFixtures.hostile()))).contains("Actions:\n  - revoke-ingress");
    }

    @Test
    void groupedCountIsShownInEveryChannel() {
        var n = new Notice(NotifyFixtures.hostile(), 4, NotifyFixtures.T0);
        String line = "4 more finding(s) of this rule on this resource were grouped (not sent) since 2026-03-01T10:00:00Z";
        assertThat(fmt.slack(n, null).get(0)).contains(line);
        assertThat(fmt.emailText(n)).contains(line);
        assertThat(fmt.emailHtml(n)).contains(line);
        assertThat(fmt.slack(Notice.of(NotifyFixtures.hostile()), null).get(0)).doesNotContain("grouped");
    }
}
