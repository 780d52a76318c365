package dev.vigil.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import dev.vigil.output.FindingJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link Notice} for each channel. Every event-derived value is made one line and escaped for its channel
 * (Slack mrkdwn {@code & < >}, HTML), so a crafted user name cannot mention {@code @channel}, add a link or forge a
 * line. Slack messages are split within Block Kit's limits (50 blocks a message, 3000 chars a section text).
 */
public final class MessageFormatter {
    static final int SLACK_MAX_BLOCKS = 50;
    static final int SLACK_MAX_SECTION = 3000;
    static final int SLACK_MAX_HEADER = 150;
    /** One value (a fact, the summary) is cut here, so one line always fits a section. */
    static final int MAX_VALUE = 1500;
    static final int SNS_MAX_SUBJECT = 99;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Label and raw (unescaped) value, in display order. */
    static List<Map.Entry<String, String>> fields(Notice n) {
        Finding f = n.finding();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Severity", f.severity().label());
        m.put("Rule", f.rule());
        m.put("Policy", f.policy());
        m.put("Resource", f.resource());
        m.put("Account", f.account() == null ? null : f.account().toString());
        m.put("Region", f.region() == null ? null : f.region().toString());
        m.put("Time", f.time().toString());
        m.put("Source", f.source());
        List<Map.Entry<String, String>> out = new ArrayList<>(m.entrySet());
        f.facts().forEach((k, v) -> out.add(Map.entry(k, v == null ? "-" : v)));
        out.add(Map.entry("Summary", f.summary()));
        return out;
    }

    static String value(String raw) {
        return Escape.cap(Escape.oneLine(raw), MAX_VALUE);
    }

    static List<String> actionLines(Finding f) {
        List<String> out = new ArrayList<>();
        for (ActionResult a : f.actions()) {
            out.add(a.type() + " " + a.target() + ": " + a.status().label() + (a.detail().isEmpty() ? "" : " (" + a.detail() + ")"));
        }
        return out;
    }

    static String groupedLine(Notice n) {
        if (n.groupedBefore() == 0) return null;
        return n.groupedBefore() + " more finding(s) of this rule on this resource were grouped (not sent) since " + n.groupedSince();
    }

    static String title(Notice n) {
        Finding f = n.finding();
        return "[" + f.severity().label().toUpperCase(java.util.Locale.ROOT) + "] " + f.rule() + " on " + (f.resource() == null ? "-" : f.resource());
    }

    // ---- Slack ----

    /** Block Kit payloads, one per message to post, in order (usually one). */
    public List<String> slack(Notice n, String channel) {
        List<String> lines = new ArrayList<>();
        for (var e : fields(n)) lines.add("*" + Escape.slack(value(e.getKey())) + ":* " + Escape.slack(value(e.getValue())));
        List<String> actions = actionLines(n.finding());
        lines.add("*Actions:*" + (actions.isEmpty() ? " none recorded" : ""));
        for (String a : actions) lines.add("\u2022 " + Escape.slack(value(a)));
        String grouped = groupedLine(n);
        if (grouped != null) lines.add("_" + Escape.slack(grouped) + "_");

        List<String> sections = pack(lines, SLACK_MAX_SECTION);
        int perMessage = SLACK_MAX_BLOCKS - 1; // one block is the header
        int messages = (sections.size() + perMessage - 1) / perMessage;
        String title = Escape.oneLine(title(n));
        List<String> out = new ArrayList<>();
        for (int m = 0; m < messages; m++) {
            ObjectNode msg = JSON.createObjectNode();
            if (channel != null && !channel.isBlank()) msg.put("channel", channel);
            String head = messages == 1 ? title : title + " (" + (m + 1) + "/" + messages + ")";
            msg.put("text", Escape.slack(Escape.cap(head, SLACK_MAX_SECTION))); // notification fallback
            ArrayNode blocks = msg.putArray("blocks");
            ObjectNode h = blocks.addObject().put("type", "header");
            h.putObject("text").put("type", "plain_text").put("text", Escape.cap(head, SLACK_MAX_HEADER)).put("emoji", false);
            for (String s : sections.subList(m * perMessage, Math.min(sections.size(), (m + 1) * perMessage))) {
                ObjectNode sec = blocks.addObject().put("type", "section");
                sec.putObject("text").put("type", "mrkdwn").put("text", s);
            }
            out.add(msg.toString());
        }
        return out;
    }

    /** Joins lines with newlines into chunks of at most {@code max} chars; a longer line is cut between entities. */
    static List<String> pack(List<String> lines, int max) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : lines) {
            while (line.length() > max) { // only if MAX_VALUE were raised: cut outside an &...; entity
                int cut = max;
                int amp = line.lastIndexOf('&', cut - 1);
                if (amp > cut - 6 && amp > 0) cut = amp;
                if (Character.isHighSurrogate(line.charAt(cut - 1))) cut--;
                if (!cur.isEmpty()) { out.add(cur.toString()); cur.setLength(0); }
                out.add(line.substring(0, cut));
                line = line.substring(cut);
            }
            if (!cur.isEmpty() && cur.length() + 1 + line.length() > max) { out.add(cur.toString()); cur.setLength(0); }
            if (!cur.isEmpty()) cur.append('\n');
            cur.append(line);
        }
        if (!cur.isEmpty()) out.add(cur.toString());
        return out;
    }

    // ---- generic webhook ----

    /** The output contract's finding object, plus {@code facts} and {@code grouped} ({@code count}, {@code since}). */
    public String webhook(Notice n) {
        ObjectNode o = FindingJson.of(n.finding());
        o.put("id", n.finding().id()); // as findings --format json: a delivery is at least once, the same id twice is the same finding
        ObjectNode facts = o.putObject("facts");
        n.finding().facts().forEach(facts::put);
        ObjectNode g = o.putObject("grouped");
        g.put("count", n.groupedBefore());
        g.put("since", n.groupedSince() == null ? null : n.groupedSince().toString());
        return o.toString(); // Jackson escapes quotes and control characters
    }

    // ---- email ----

    public String emailSubject(Notice n) {
        return Escape.cap(Escape.oneLine("vigil " + title(n)), 200);
    }

    public String emailText(Notice n) {
        StringBuilder b = new StringBuilder();
        for (var e : fields(n)) b.append(value(e.getKey())).append(": ").append(value(e.getValue())).append('\n');
        b.append("Actions:").append(n.finding().actions().isEmpty() ? " none recorded" : "").append('\n');
        for (String a : actionLines(n.finding())) b.append("  - ").append(value(a)).append('\n');
        String grouped = groupedLine(n);
        if (grouped != null) b.append('\n').append(grouped).append('\n');
        return b.toString();
    }

    public String emailHtml(Notice n) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><body>\n<h2>")
                .append(Escape.html(Escape.oneLine(title(n)))).append("</h2>\n<table>\n");
        for (var e : fields(n)) {
            b.append("<tr><th align=\"left\">").append(Escape.html(value(e.getKey()))).append("</th><td>")
                    .append(Escape.html(value(e.getValue()))).append("</td></tr>\n");
        }
        b.append("</table>\n<h3>Actions</h3>\n<ul>\n");
        for (String a : actionLines(n.finding())) b.append("<li>").append(Escape.html(value(a))).append("</li>\n");
        if (n.finding().actions().isEmpty()) b.append("<li>none recorded</li>\n");
        b.append("</ul>\n");
        String grouped = groupedLine(n);
        if (grouped != null) b.append("<p>").append(Escape.html(grouped)).append("</p>\n");
        return b.append("</body></html>\n").toString();
    }

    // ---- SNS ----

    /** SNS subjects: under 100 chars, printable ASCII, no newlines. */
    public String snsSubject(Notice n) {
        return Escape.cap(Escape.ascii(Escape.oneLine("vigil " + title(n))), SNS_MAX_SUBJECT).replace('\u2026', '.');
    }

    public String snsBody(Notice n) {
        return emailText(n);
    }
}
