package dev.vigil.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil replay --report}: the examples' page in headless Chromium (no console error, no fetch, the counts equal
 * the JSON output's, the filters work), and a page of hostile sshd lines whose markup must stay text.
 */
class HtmlReportTest {
    @TempDir
    Path dir;

    static Map<String, Integer> countBy(List<JsonNode> findings, Function<JsonNode, String> key) {
        Map<String, Integer> m = new TreeMap<>();
        for (JsonNode f : findings) m.merge(key.apply(f), 1, Integer::sum);
        return m;
    }

    @Test
    void theExamplesReportIsSelfContained() throws Exception {
        Path page = dir.resolve("report.html");
        Examples.Run r = Examples.run("replay", "--report", page.toString(), "examples/");
        assertThat(r.code()).isZero();
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(html.length()).isLessThan(400_000);
        // nothing to fetch: no external reference of any kind, one inline script allowed by its hash
        assertThat(html).doesNotContain("http://", "https://", "src=", "href=", "@import", "url(");
        assertThat(html).contains("script-src '" + HtmlReportPage.scriptHash() + "'");
        assertThat(html.split("<script>", -1)).hasSize(2);
    }

    @Test
    void theExamplesReportRendersInChromiumWithTheJsonCounts() throws Exception {
        try (HeadlessChromium chrome = HeadlessChromium.start()) {
            assumeTrue(chrome != null, "chromium not installed (apt-get install chromium): the browser test is skipped");
            Path page = dir.resolve("report.html");
            // the tuned example policy: its responses (blocks, a subnet quarantine) are on the timelines; the built-in one only notifies
            assertThat(Examples.run("replay", "--report", page.toString(), "--policy", "examples/policy.yaml", "examples/").code()).isZero();
            List<JsonNode> json = Examples.jsonFindings("--policy", "examples/policy.yaml");
            chrome.open(page.toUri());
            assertThat(chrome.eval("document.getElementById('total-findings').textContent").asInt()).isEqualTo(json.size());
            assertThat(chrome.eval("document.querySelectorAll('details.finding').length").asInt()).isEqualTo(json.size());
            assertThat(chrome.eval("document.getElementById('shown').textContent").asInt()).isEqualTo(json.size());
            for (var by : Map.<String, Function<JsonNode, String>>of("severity", f -> f.get("severity").asText(), "policy", f -> f.get("policy").asText(),
                    "rule", f -> f.get("rule").asText()).entrySet()) {
                JsonNode onPage = chrome.eval("Object.fromEntries([...document.querySelectorAll('table.count[data-by=" + by.getKey()
                        + "] td.n')].map(td => [td.dataset.key, Number(td.textContent)]))");
                Map<String, Integer> shown = new TreeMap<>();
                onPage.properties().forEach(e -> shown.put(e.getKey(), e.getValue().asInt()));
                assertThat(shown).as("counts by " + by.getKey()).isEqualTo(countBy(json, by.getValue()));
            }
            // the filters: by severity, then by rule too
            Map<String, Integer> bySeverity = countBy(json, f -> f.get("severity").asText());
            String setSeverity = "(() => { const s = document.getElementById('f-severity'); s.value = 'high'; s.dispatchEvent(new Event('change'));"
                    + " return [Number(document.getElementById('shown').textContent), document.querySelectorAll('details.finding:not([hidden])').length]; })()";
            JsonNode high = chrome.eval(setSeverity);
            assertThat(high.get(0).asInt()).isEqualTo(bySeverity.get("high"));
            assertThat(high.get(1).asInt()).isEqualTo(bySeverity.get("high"));
            long highGuard = json.stream().filter(f -> f.get("severity").asText().equals("high") && f.get("rule").asText().equals("sg-open-to-world")).count();
            JsonNode both = chrome.eval("(() => { const r = document.getElementById('f-rule'); r.value = 'sg-open-to-world'; r.dispatchEvent(new Event('change'));"
                    + " return document.querySelectorAll('details.finding:not([hidden])').length; })()");
            assertThat(both.asLong()).isEqualTo(highGuard).isPositive();
            // timelines: bastion running periods, SSH sources with the moment each was responded to, the GuardDuty subnets
            assertThat(chrome.eval("document.querySelectorAll('section.timeline rect.running').length").asInt()).isPositive();
            assertThat(chrome.eval("document.querySelectorAll('section.timeline rect.blocked').length").asInt()).isPositive();
            JsonNode resources = chrome.eval("[...document.querySelectorAll('section.timeline')].map(s => s.dataset.resource)");
            assertThat(resources.toString()).contains("subnet-0c4d5e6f7a8b9c0d1", "sg-0a11b22c33d44e55f", "i-0b5a7e0000000001a",
                    "i-0b1a2c3d4e5f60789"); // bastion-a's SSH timeline: the example policy maps the host name to its instance
            assertThat(chrome.errors).as("console errors").isEmpty();
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target/report-examples.png"), chrome.screenshot());
        }
    }

    @Test
    void aLargeRunCountsEveryFindingAndShowsTheFirstOnes() throws Exception {
        Path page = dir.resolve("big.html");
        HtmlReport report = new HtmlReport(page);
        int n = HtmlReport.MAX_FINDINGS + 1234;
        for (int i = 0; i < n; i++) {
            report.finding(new dev.vigil.core.finding.Finding(i % 2 == 0 ? "a" : "b", "p", dev.vigil.core.finding.Severity.LOW,
                    java.time.Instant.EPOCH.plusSeconds(i), null, null, "i-0123456789abcdef0", null, "s" + i, List.of("e" + i), List.of(), Map.of()));
        }
        report.summary(new RunSummary(1, n, n, 0, Map.of()));
        report.write();
        String html = Files.readString(page);
        assertThat(html).contains("<span id=\"total-findings\">" + n + "</span>").contains("data-key=\"low\">" + n + "<")
                .contains("data-key=\"a\">" + (n + 1) / 2 + "<").contains("the first " + HtmlReport.MAX_FINDINGS + " of " + n);
        assertThat(html.split("<details class=\"finding\"", -1)).hasSize(HtmlReport.MAX_FINDINGS + 1);
        assertThat(html.length()).isLessThan(20_000_000);
    }

    @Test
    void attackerWrittenMarkupStaysText() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("hostile"));
        String[] users = {"<script>window.__pwned=1</script>", "<img/src=x/onerror=window.__pwned=2>", "\"><svg/onload=window.__pwned=3>"};
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < users.length; i++) {
            log.append("2024-05-01T11:21:1").append(i).append("+00:00 bastion-x sshd[3041").append(i).append("]: Invalid user ").append(users[i])
                    .append(" from 203.0.113.66 port 5102").append(i).append('\n');
        }
        Files.writeString(logs.resolve("auth.log"), log);
        Path page = dir.resolve("hostile.html");
        assertThat(Examples.run("replay", "--report", page.toString(), logs.toString()).code()).isZero();
        String html = Files.readString(page);
        for (String u : users) {
            assertThat(html).doesNotContain(u).contains(HtmlReportPage.esc(u));
        }
        try (HeadlessChromium chrome = HeadlessChromium.start()) {
            assumeTrue(chrome != null, "chromium not installed (apt-get install chromium): the browser part is skipped");
            chrome.open(page.toUri());
            assertThat(chrome.eval("typeof window.__pwned").asText()).isEqualTo("undefined");
            assertThat(chrome.eval("document.scripts.length").asInt()).isEqualTo(1);
            assertThat(chrome.eval("document.querySelectorAll('img, [onerror], [onload]').length").asInt()).isZero();
            String text = chrome.eval("document.body.textContent").asText();
            for (String u : users) assertThat(text).contains(u);
            assertThat(chrome.eval("document.getElementById('total-findings').textContent").asInt()).isEqualTo(1);
            assertThat(chrome.errors).as("console errors").isEmpty();
        }
    }
}
