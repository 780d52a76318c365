package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import dev.vigil.http.HttpEndpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} parsed as the Prometheus text format 0.0.4 says (families, HELP and TYPE before their samples,
 * label syntax and escapes, histogram buckets ascending and cumulative with {@code +Inf} equal to {@code _count}),
 * with the values recorded.
 */
class MetricsExpositionTest {
    record Sample(String name, Map<String, String> labels, double value) {}

    record Family(String name, String type, String help, List<Sample> samples) {}

    static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)( -?[0-9]+)?");
    static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"\\s*(,|$)");

    /** A strict reader of the text format: any line it cannot place fails the test. */
    static Map<String, Family> parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> help = new LinkedHashMap<>();
        assertThat(text).endsWith("\n");
        for (String line : text.split("\n")) {
            if (line.isEmpty()) continue;
            if (line.startsWith("# HELP ")) {
                String[] p = line.substring(7).split(" ", 2);
                assertThat(p[0]).matches(NAME);
                help.put(p[0], p.length > 1 ? p[1] : "");
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ");
                assertThat(p).hasSize(2);
                assertThat(p[1]).isIn("counter", "gauge", "histogram", "summary", "untyped");
                assertThat(families).as("TYPE once per family: " + p[0]).doesNotContainKey(p[0]);
                families.put(p[0], new Family(p[0], p[1], help.get(p[0]), new ArrayList<>()));
                continue;
            }
            assertThat(line).as("comment lines are HELP or TYPE").doesNotStartWith("#");
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("sample line: " + line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null && !m.group(3).isEmpty()) {
                Matcher l = LABEL.matcher(m.group(3));
                int end = 0;
                while (l.find() && l.start() == end) {
                    labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
                    end = l.end();
                }
                assertThat(end).as("labels of " + line).isEqualTo(m.group(3).length());
            }
            String v = m.group(4);
            double value = switch (v) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(v);
            };
            String sample = m.group(1);
            Family f = family(families, sample);
            assertThat(f).as("a TYPE line before sample " + sample).isNotNull();
            f.samples().add(new Sample(sample, labels, value));
        }
        for (Family f : families.values()) {
            if (f.type().equals("histogram")) checkHistogram(f);
            if (f.type().equals("counter")) assertThat(f.name()).endsWith("_total");
        }
        return families;
    }

    private static Family family(Map<String, Family> families, String sample) {
        if (families.containsKey(sample)) return families.get(sample);
        for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_created")) {
            if (sample.endsWith(suffix)) {
                Family f = families.get(sample.substring(0, sample.length() - suffix.length()));
                if (f != null) return f;
            }
        }
        return null;
    }

    private static void checkHistogram(Family f) {
        double last = -1;
        double lastLe = Double.NEGATIVE_INFINITY;
        Double inf = null;
        Double count = null;
        boolean sum = false;
        for (Sample s : f.samples()) {
            if (s.name().endsWith("_bucket")) {
                double le = s.labels().get("le").equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(s.labels().get("le"));
                assertThat(le).as(f.name() + " buckets ascending").isGreaterThan(lastLe);
                assertThat(s.value()).as(f.name() + " buckets cumulative").isGreaterThanOrEqualTo(last);
                lastLe = le;
                last = s.value();
                if (Double.isInfinite(le)) inf = s.value();
            } else if (s.name().endsWith("_count")) {
                count = s.value();
            } else if (s.name().endsWith("_sum")) {
                sum = true;
            }
        }
        assertThat(inf).as(f.name() + " +Inf bucket").isNotNull();
        assertThat(count).as(f.name() + " _count").isEqualTo(inf);
        assertThat(sum).as(f.name() + " _sum").isTrue();
    }

    static double value(Map<String, Family> fam, String family, String sample, Map<String, String> labels) {
        return fam.get(family).samples().stream().filter(s -> s.name().equals(sample) && s.labels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + sample + labels)).value();
    }

    static Finding finding(Severity s, ActionStatus status) {
        return new Finding("r", "p", s, Instant.parse("2026-01-01T00:00:00Z"), null, null, "i-0123456789abcdef0", null, "x", List.of("e"),
                List.of(new ActionResult("revoke-ingress", "sg-1", status, "d", Map.of())), Map.of());
    }

    @Test
    void theScrapeIsWellFormedAndCarriesTheValues() throws Exception {
        Metrics m = new Metrics();
        try (HttpEndpoints http = HttpEndpoints.start(0, m, Clock.systemUTC(), 60_000)) {
            for (int i = 0; i < 3; i++) m.message();
            for (int i = 0; i < 5; i++) m.event();
            m.duplicate();
            m.finding(finding(Severity.HIGH, ActionStatus.APPLIED));
            m.finding(finding(Severity.HIGH, ActionStatus.FAILED));
            m.finding(finding(Severity.LOW, ActionStatus.APPLIED));
            m.error("bad-input");
            m.error("rule \"quoted\"\\ kind"); // a label value that needs escaping
            m.queueLag(2500);
            long[] nanos = {400_000, 3_000_000, 3_500_000, 40_000_000, 2_000_000_000L};
            for (long n : nanos) m.firstCallSent(n);
            m.firstCallAnswered(7_000_000);
            var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
            Map<String, Family> fam = parse(r.body());

            assertThat(value(fam, "vigil_messages_total", "vigil_messages_total", Map.of())).isEqualTo(3);
            assertThat(value(fam, "vigil_events_total", "vigil_events_total", Map.of())).isEqualTo(5);
            assertThat(value(fam, "vigil_duplicate_events_total", "vigil_duplicate_events_total", Map.of())).isEqualTo(1);
            assertThat(value(fam, "vigil_findings_total", "vigil_findings_total", Map.of("severity", "high"))).isEqualTo(2);
            assertThat(value(fam, "vigil_findings_total", "vigil_findings_total", Map.of("severity", "low"))).isEqualTo(1);
            assertThat(value(fam, "vigil_actions_total", "vigil_actions_total", Map.of("type", "revoke-ingress", "status", "applied"))).isEqualTo(2);
            assertThat(value(fam, "vigil_actions_total", "vigil_actions_total", Map.of("type", "revoke-ingress", "status", "failed"))).isEqualTo(1);
            assertThat(value(fam, "vigil_errors_total", "vigil_errors_total", Map.of("kind", "rule \"quoted\"\\ kind"))).isEqualTo(1);
            assertThat(value(fam, "vigil_queue_lag_seconds", "vigil_queue_lag_seconds", Map.of())).isEqualTo(2.5);
            assertThat(fam.get("vigil_first_call_seconds").type()).isEqualTo("histogram");
            assertThat(fam.get("vigil_first_call_seconds").help()).isNotBlank();
            assertThat(value(fam, "vigil_first_call_seconds", "vigil_first_call_seconds_count", Map.of())).isEqualTo(5);
            assertThat(value(fam, "vigil_first_call_seconds", "vigil_first_call_seconds_sum", Map.of())).isCloseTo(2.0469, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(value(fam, "vigil_first_call_seconds", "vigil_first_call_seconds_bucket", Map.of("le", "0.001"))).isEqualTo(1);
            assertThat(value(fam, "vigil_first_call_seconds", "vigil_first_call_seconds_bucket", Map.of("le", "0.005"))).isEqualTo(3);
            assertThat(value(fam, "vigil_first_call_seconds", "vigil_first_call_seconds_bucket", Map.of("le", "0.05"))).isEqualTo(4);
            assertThat(value(fam, "vigil_first_call_seconds", "vigil_first_call_seconds_bucket", Map.of("le", "1.0"))).isEqualTo(4);
            assertThat(value(fam, "vigil_first_call_answered_seconds", "vigil_first_call_answered_seconds_count", Map.of())).isEqualTo(1);
            assertThat(value(fam, "vigil_first_call_quantile_seconds", "vigil_first_call_quantile_seconds", Map.of("quantile", "0.5"))).isEqualTo(0.0035);
            // JVM and process metrics
            assertThat(fam).containsKeys("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes", "process_cpu_usage",
                    "process_uptime_seconds", "process_start_time_seconds", "process_files_open_files", "system_cpu_count");
            assertThat(fam.get("jvm_memory_used_bytes").samples()).anySatisfy(s -> assertThat(s.labels()).containsEntry("area", "heap"));
            assertThat(m.latencyQuantile(0.5)).isEqualTo(3_500_000);
            assertThat(m.latencyCount()).isEqualTo(5);
        } finally {
            m.close();
        }
    }

    @Test
    void samplesTakenBeforeTheFirstScrapeAreInTheHistogram() {
        Metrics m = new Metrics();
        try {
            m.firstCallSent(2_000_000);
            m.firstCallSent(20_000_000);
            Map<String, Family> fam = parse(m.prometheus());
            assertThat(value(fam, "vigil_first_call_seconds", "vigil_first_call_seconds_count", Map.of())).isEqualTo(2);
            m.firstCallSent(200_000_000);
            fam = parse(m.prometheus());
            assertThat(value(fam, "vigil_first_call_seconds", "vigil_first_call_seconds_count", Map.of())).isEqualTo(3);
            assertThat(value(fam, "vigil_first_call_seconds", "vigil_first_call_seconds_bucket", Map.of("le", "0.025"))).isEqualTo(2);
        } finally {
            m.close();
        }
    }

    @Test
    void theParserRejectsWhatTheFormatDoesNot() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse("vigil_x_total 1\n")).isInstanceOf(AssertionError.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse("# TYPE a counter\na{x=\"1} 2\n")).isInstanceOf(AssertionError.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n"))
                .isInstanceOf(AssertionError.class);
    }
}
