package dev.vigil.output;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The report's HTML: rendered here, every string escaped ({@link #esc}), so the page reads the same without
 * scripts; the one inline script only filters. A Content-Security-Policy allows that script by its hash and nothing
 * else: no fetches, no other script, even if an attacker's text were ever left unescaped.
 */
final class HtmlReportPage {
    static final String SCRIPT = """
            (function () {
              var sev = document.getElementById('f-severity'), rule = document.getElementById('f-rule');
              var shown = document.getElementById('shown');
              function apply() {
                var n = 0;
                document.querySelectorAll('.finding').forEach(function (e) {
                  var ok = (!sev.value || e.dataset.severity === sev.value) && (!rule.value || e.dataset.rule === rule.value);
                  e.hidden = !ok;
                  if (ok) n++;
                });
                shown.textContent = String(n);
              }
              sev.addEventListener('change', apply);
              rule.addEventListener('change', apply);
              apply();
            })();
            """;
    static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1d2430;background:#fafbfc}
            h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccd}
            table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #dde;padding:2px 8px;text-align:left}
            td.n{text-align:right;font-variant-numeric:tabular-nums}.sum{display:flex;gap:2em;flex-wrap:wrap;align-items:flex-start}td.mono{white-space:nowrap}
            .badge{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px}
            .sev-critical{background:#7a0010}.sev-high{background:#c62828}.sev-medium{background:#ef6c00}.sev-low{background:#0277bd}.sev-info{background:#607d8b}
            .act-applied{background:#2e7d32}.act-planned{background:#6a1b9a}.act-failed{background:#b71c1c}.act-skipped,.act-already-applied{background:#78909c}
            .event,.state{background:#90a4ae}
            details.finding{background:#fff;border:1px solid #dde;margin:4px 0;padding:4px 8px}details.finding summary{cursor:pointer}
            .mono{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}svg{background:#fff;border:1px solid #dde}
            .filters{position:sticky;top:0;background:#fafbfc;padding:6px 0}
            """;
    private static final int W = 960;

    private final HtmlReport r;
    private final StringBuilder b = new StringBuilder(1 << 16);

    HtmlReportPage(HtmlReport r) {
        this.r = r;
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder o = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> o.append("&amp;");
                case '<' -> o.append("&lt;");
                case '>' -> o.append("&gt;");
                case '"' -> o.append("&quot;");
                case '\'' -> o.append("&#39;");
                default -> o.append(c < 0x20 && c != '\n' && c != '\t' ? '\uFFFD' : c);
            }
        }
        return o.toString();
    }

    static String scriptHash() {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(SCRIPT.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String render() {
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
        b.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src '")
                .append(scriptHash()).append("'\">\n");
        b.append("<title>vigil report</title><style>").append(STYLE).append("</style></head><body>\n");
        b.append("<h1>vigil report</h1>\n");
        RunSummary s = r.summary;
        if (s != null) {
            b.append("<p id=\"run\"><span id=\"inputs\">").append(s.inputs()).append("</span> input(s), <span id=\"events\">").append(s.events())
                    .append("</span> event(s), <span id=\"total-findings\">").append(r.total).append("</span> finding(s), <span id=\"errors\">")
                    .append(s.errors()).append("</span> error(s)</p>\n");
        }
        summaryTables();
        timelines();
        findings();
        b.append("<script>").append(SCRIPT).append("</script>\n</body></html>\n");
        return b.toString();
    }

    private void summaryTables() {
        b.append("<h2>Summary</h2><div class=\"sum\">\n");
        count("By severity", "severity", true);
        count("By policy", "policy", false);
        count("By rule", "rule", false);
        b.append("</div>\n");
    }

    private void count(String title, String key, boolean severityOrder) {
        Map<String, Integer> counts = r.counts.get(key);
        List<String> order = new ArrayList<>(counts.keySet());
        if (severityOrder) {
            order.clear();
            for (int i = Severity.values().length - 1; i >= 0; i--) {
                if (counts.containsKey(Severity.values()[i].label())) order.add(Severity.values()[i].label());
            }
        }
        b.append("<table class=\"count\" data-by=\"").append(key).append("\"><tr><th>").append(title).append("</th><th>findings</th></tr>\n");
        for (String k : order) {
            b.append("<tr><td>").append(esc(k)).append("</td><td class=\"n\" data-key=\"").append(esc(k)).append("\">").append(counts.get(k)).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private void timelines() {
        Set<String> resources = new TreeSet<>();
        for (Finding f : r.findings) {
            if (f.resource() != null) resources.add(f.resource());
            for (ActionResult a : f.actions()) if (!a.type().equals("notify")) resources.add(a.target());
        }
        b.append("<h2>Timelines</h2>\n");
        for (String res : resources) {
            HtmlReport.Track t = r.tracks.get(res);
            if (t == null || t.entries.isEmpty()) continue;
            b.append("<section class=\"timeline\" data-resource=\"").append(esc(res)).append("\"><h3 class=\"mono\">").append(esc(res)).append("</h3>\n");
            String threshold = threshold(res);
            if (threshold != null) b.append("<p>uptime threshold: ").append(esc(threshold)).append("</p>\n");
            svg(t);
            if (!t.sources.isEmpty()) {
                b.append("<table class=\"sources\"><tr><th>SSH source</th><th>first seen</th><th>last seen</th><th>log lines</th><th>responded</th><th>how</th></tr>\n");
                t.sources.forEach((addr, src) -> b.append("<tr><td class=\"mono\">").append(esc(addr)).append("</td><td class=\"mono\">").append(src.first)
                        .append("</td><td class=\"mono\">").append(src.last).append("</td><td class=\"n\">").append(src.lines).append("</td><td class=\"mono\">")
                        .append(src.acted == null ? "-" : src.acted.toString()).append("</td><td>").append(esc(src.action == null ? "" : src.action)).append("</td></tr>\n"));
                b.append("</table>\n");
            }
            b.append("<details").append(t.entries.size() <= 12 ? " open" : "").append("><summary>").append(t.entries.size())
                    .append(" entries</summary><table><tr><th>time</th><th>what</th><th></th></tr>\n");
            for (HtmlReport.Entry e : t.entries) {
                b.append("<tr><td class=\"mono\">").append(e.time()).append("</td><td><span class=\"badge ").append(esc(e.css())).append("\">")
                        .append(esc(e.kind())).append("</span></td><td>").append(esc(e.text())).append("</td></tr>\n");
            }
            if (t.dropped > 0) b.append("<tr><td colspan=\"3\">").append(t.dropped).append(" more not shown</td></tr>\n");
            b.append("</table></details></section>\n");
        }
    }

    private String threshold(String resource) {
        for (Finding f : r.findings) {
            if (resource.equals(f.resource()) && f.facts().containsKey("threshold")) return f.facts().get("threshold");
        }
        return null;
    }

    /** Running periods as bars, findings, actions and other events as marks, on one time axis. */
    private void svg(HtmlReport.Track t) {
        Instant t0 = t.entries.getFirst().time();
        Instant t1 = t.entries.getLast().time();
        for (HtmlReport.Period p : t.running) {
            if (p.start() != null && p.start().isBefore(t0)) t0 = p.start();
            if (p.end() != null && p.end().isAfter(t1)) t1 = p.end();
        }
        long span = Math.max(1, t1.toEpochMilli() - t0.toEpochMilli());
        long from = t0.toEpochMilli();
        java.util.function.ToIntFunction<Instant> x = i -> (int) (10 + (i.toEpochMilli() - from) * (W - 20) / span);
        List<Map.Entry<String, HtmlReport.Source>> lanes = t.sources.entrySet().stream().limit(12).toList();
        int h = 96 + 16 * lanes.size();
        b.append("<svg width=\"").append(W).append("\" height=\"").append(h).append("\" role=\"img\">");
        b.append("<text x=\"4\" y=\"").append(h - 4).append("\" font-size=\"10\">").append(t0).append("</text><text x=\"").append(W - 4)
                .append("\" y=\"").append(h - 4).append("\" font-size=\"10\" text-anchor=\"end\">").append(t1).append("</text>");
        int lane = 0;
        for (Map.Entry<String, HtmlReport.Source> e : lanes) {
            int y = 86 + 16 * lane++;
            HtmlReport.Source src = e.getValue();
            int a = x.applyAsInt(src.first);
            int z = Math.max(a + 2, x.applyAsInt(src.last));
            b.append("<line x1=\"").append(a).append("\" y1=\"").append(y).append("\" x2=\"").append(z).append("\" y2=\"").append(y)
                    .append("\" stroke=\"#546e7a\" stroke-width=\"4\"><title>").append(esc(e.getKey())).append(": ").append(src.lines)
                    .append(" line(s)</title></line><text x=\"").append(Math.min(z + 6, W - 120)).append("\" y=\"").append(y + 4).append("\" font-size=\"10\">")
                    .append(esc(e.getKey())).append("</text>");
            if (src.acted != null) {
                int ax = x.applyAsInt(src.acted);
                b.append("<rect class=\"blocked\" x=\"").append(ax - 2).append("\" y=\"").append(y - 7).append("\" width=\"4\" height=\"14\" fill=\"#b71c1c\"><title>")
                        .append(src.acted).append(' ').append(esc(src.action)).append("</title></rect>");
            }
        }
        for (HtmlReport.Period p : t.running) {
            int a = p.start() == null ? 10 : x.applyAsInt(p.start());
            int z = p.end() == null ? W - 10 : x.applyAsInt(p.end());
            b.append("<rect class=\"running\" x=\"").append(a).append("\" y=\"6\" width=\"").append(Math.max(2, z - a))
                    .append("\" height=\"14\" fill=\"#66bb6a\"><title>running ").append(p.start() == null ? "(before)" : p.start()).append(" to ")
                    .append(p.end() == null ? "(after)" : p.end()).append("</title></rect>");
        }
        Set<String> seen = new HashSet<>();
        for (HtmlReport.Entry e : t.entries) {
            int cx = x.applyAsInt(e.time());
            int y = switch (e.kind()) {
                case "finding" -> 34;
                case "action" -> 52;
                case "state" -> 13;
                default -> 70;
            };
            if (!seen.add(e.kind() + cx + e.css())) continue;
            String fill = switch (e.css()) {
                case "sev-critical" -> "#7a0010";
                case "sev-high" -> "#c62828";
                case "sev-medium" -> "#ef6c00";
                case "sev-low" -> "#0277bd";
                case "act-applied" -> "#2e7d32";
                case "act-planned" -> "#6a1b9a";
                case "act-failed" -> "#b71c1c";
                default -> "#90a4ae";
            };
            b.append("<circle cx=\"").append(cx).append("\" cy=\"").append(y).append("\" r=\"5\" fill=\"").append(fill).append("\"><title>")
                    .append(e.time()).append(' ').append(esc(e.text())).append("</title></circle>");
        }
        b.append("</svg>\n");
    }

    private void findings() {
        b.append("<h2>Findings</h2>\n<div class=\"filters\">severity <select id=\"f-severity\"><option value=\"\">all</option>");
        for (int i = Severity.values().length - 1; i >= 0; i--) {
            String l = Severity.values()[i].label();
            b.append("<option value=\"").append(l).append("\">").append(l).append("</option>");
        }
        b.append("</select> rule <select id=\"f-rule\"><option value=\"\">all</option>");
        new TreeSet<>(r.findings.stream().map(Finding::rule).toList()).forEach(rule ->
                b.append("<option value=\"").append(esc(rule)).append("\">").append(esc(rule)).append("</option>"));
        b.append("</select> showing <span id=\"shown\">").append(r.findings.size()).append("</span> of ").append(r.findings.size());
        if (r.total > r.findings.size()) b.append(" (the first ").append(r.findings.size()).append(" of ").append(r.total).append(" findings: --format json has them all)");
        b.append("</div>\n");
        for (Finding f : r.findings) {
            String sev = f.severity().label();
            b.append("<details class=\"finding\" data-severity=\"").append(sev).append("\" data-rule=\"").append(esc(f.rule())).append("\"><summary>")
                    .append("<span class=\"mono\">").append(f.time()).append("</span> <span class=\"badge sev-").append(sev).append("\">").append(sev)
                    .append("</span> <b>").append(esc(f.rule())).append("</b> <span class=\"mono\">").append(esc(f.resource() == null ? "-" : f.resource()))
                    .append("</span> ").append(esc(f.summary())).append("</summary>\n");
            b.append("<p>policy ").append(esc(f.policy())).append(f.source() == null ? "" : ", source " + esc(f.source()))
                    .append(", id <span class=\"mono\">").append(f.id()).append("</span></p>\n");
            if (!f.facts().isEmpty()) {
                b.append("<table class=\"facts\">");
                f.facts().forEach((k, v) -> b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>"));
                b.append("</table>\n");
            }
            b.append("<table class=\"events\"><tr><th>event</th><th>time</th><th>kind</th><th>what</th></tr>");
            for (String id : f.eventIds()) {
                HtmlReport.Entry e = r.events.get(id);
                b.append("<tr><td class=\"mono\">").append(esc(id)).append("</td>");
                if (e == null) b.append("<td colspan=\"3\">(not kept)</td></tr>");
                else b.append("<td class=\"mono\">").append(e.time()).append("</td><td>").append(esc(e.kind())).append("</td><td>").append(esc(e.text())).append("</td></tr>");
            }
            b.append("</table>\n<table class=\"actions\"><tr><th>action</th><th>target</th><th>status</th><th>detail</th></tr>");
            for (ActionResult a : f.actions()) {
                b.append("<tr><td>").append(esc(a.type())).append("</td><td class=\"mono\">").append(esc(a.target())).append("</td><td><span class=\"badge act-")
                        .append(esc(a.status().label())).append("\">").append(esc(a.status().label())).append("</span></td><td>").append(esc(a.detail())).append("</td></tr>");
            }
            b.append("</table></details>\n");
        }
    }
}
