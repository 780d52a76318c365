package dev.vigil.output;

import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.GenericEvent;
import dev.vigil.core.event.GuardDutyFinding;
import dev.vigil.core.event.InstanceStateChange;
import dev.vigil.core.event.ScheduledTick;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.event.SshLogLine;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vigil replay --report FILE}: collects the findings, and the events that touch their resources, while a
 * replay runs, and writes one self-contained HTML page at the end ({@link HtmlReportPage}). Memory is bounded: at
 * most {@link #MAX_EVENTS} events remembered by id, {@link #MAX_RESOURCES} resources with at most
 * {@link #MAX_PER_RESOURCE} timeline entries each (the rest counted, shown as "n more"), and the first
 * {@link #MAX_FINDINGS} findings in full (all of them in the counts).
 */
public final class HtmlReport implements ReportWriter {
    static final int MAX_EVENTS = 100_000;
    static final int MAX_RESOURCES = 2_000;
    static final int MAX_PER_RESOURCE = 300;
    /** Findings shown in full; all of them are counted. */
    static final int MAX_FINDINGS = 5_000;

    /** One line of a timeline or of a finding's events; {@code kind} is event, state, finding or action. */
    record Entry(Instant time, String kind, String text, String css) {}

    /** A period an instance was running; null ends are open (before the first or after the last event). */
    record Period(Instant start, Instant end) {}

    /** One SSH source seen on a host: its log lines' span and the first response to it (blocked or quarantined). */
    static final class Source {
        Instant first;
        Instant last;
        long lines;
        Instant acted;
        String action;
    }

    static final int MAX_SOURCES = 200;

    static final class Track {
        final List<Entry> entries = new ArrayList<>();
        final Map<String, Source> sources = new LinkedHashMap<>();
        final List<Period> running = new ArrayList<>();
        Instant runningSince;
        boolean sawState;
        long dropped;

        void add(Entry e) {
            if (entries.size() < MAX_PER_RESOURCE) entries.add(e);
            else dropped++;
        }
    }

    private final Path file;
    final List<Finding> findings = new ArrayList<>();
    long total;
    final Map<String, Map<String, Integer>> counts = Map.of("severity", new java.util.TreeMap<>(), "policy", new java.util.TreeMap<>(),
            "rule", new java.util.TreeMap<>());
    final Map<String, Entry> events = new HashMap<>();
    final Map<String, Track> tracks = new LinkedHashMap<>();
    RunSummary summary;

    public HtmlReport(Path file) {
        this.file = file;
    }

    /** An event as the replay decoded it (before the engine). */
    public void event(SecurityEvent e) {
        if (e instanceof ScheduledTick) return;
        Entry entry = new Entry(e.time(), e.kind(), describe(e), "event");
        if (events.size() < MAX_EVENTS) events.put(e.id(), entry);
        List<String> keys = new ArrayList<>(e.resourceIds());
        if (e instanceof SshLogLine l && l.host() != null && !keys.contains(l.host())) keys.add(l.host());
        for (String k : keys) {
            Track t = track(k);
            if (t == null) continue;
            if (e instanceof InstanceStateChange s) state(t, s);
            else t.add(entry);
            if (e instanceof SshLogLine l) sshSource(t, l);
        }
    }

    private static void state(Track t, InstanceStateChange s) {
        t.sawState = true;
        t.add(new Entry(s.time(), "state", "instance " + s.state(), "state"));
        boolean up = s.state().equals("running") || s.state().equals("pending");
        if (up && t.runningSince == null) {
            t.runningSince = s.time();
        } else if (!up && (t.runningSince != null || t.running.isEmpty())) {
            t.running.add(new Period(t.runningSince, s.time()));
            t.runningSince = null;
        }
    }

    /** The address from the position sshd's protocol gives it (the project's classifier), never a word of the message. */
    private static void sshSource(Track t, SshLogLine l) {
        String addr = dev.vigil.scenario.ssh.auth.SshAuthClassifier.classify(l.program(), l.message()).address();
        if (addr == null) return;
        Source s = t.sources.get(addr);
        if (s == null) {
            if (t.sources.size() >= MAX_SOURCES) return;
            s = new Source();
            s.first = l.time();
            t.sources.put(addr, s);
        }
        s.last = l.time();
        s.lines++;
    }

    private Track track(String resource) {
        Track t = tracks.get(resource);
        if (t == null && tracks.size() < MAX_RESOURCES) {
            t = new Track();
            tracks.put(resource, t);
        }
        return t;
    }

    static String describe(SecurityEvent e) {
        return switch (e) {
            case CloudTrailCall c -> c.eventName() + " by " + (c.principal() == null ? "?" : c.principal().arn()) + " from " + c.sourceIp()
                    + (c.errorCode() == null ? "" : " (failed: " + c.errorCode() + ")");
            case InstanceStateChange s -> "instance " + s.instance() + " " + s.state();
            case GuardDutyFinding g -> g.type() + " (GuardDuty severity " + g.severity() + ", count " + g.count() + (g.sample() ? ", sample" : "") + ")";
            case SshLogLine l -> AsffFinding.cut(l.message(), 300);
            case GenericEvent g -> g.source() + ": " + g.detailType();
            default -> e.kind();
        };
    }

    @Override
    public void finding(Finding f) {
        total++;
        counts.get("severity").merge(f.severity().label(), 1, Integer::sum);
        counts.get("policy").merge(f.policy(), 1, Integer::sum);
        counts.get("rule").merge(f.rule(), 1, Integer::sum);
        if (findings.size() >= MAX_FINDINGS) return;
        findings.add(f);
        String label = f.severity().label() + " " + f.rule() + ": " + f.summary();
        if (f.resource() != null) {
            Track t = track(f.resource());
            if (t != null) t.add(new Entry(f.time(), "finding", label, "sev-" + f.severity().label()));
        }
        Track onResource = f.resource() == null ? null : tracks.get(f.resource());
        Source src = onResource == null || f.source() == null ? null : onResource.sources.get(f.source());
        for (ActionResult a : f.actions()) {
            if (a.type().equals("notify")) continue;
            if (src != null && src.acted == null && a.status() != dev.vigil.core.finding.ActionStatus.FAILED) {
                src.acted = f.time();
                src.action = a.type() + " [" + a.status().label() + "] (" + f.rule() + ")";
            }
            String text = a.type() + " " + a.target() + " [" + a.status().label() + "] " + a.detail();
            for (String k : a.target().equals(f.resource()) || f.resource() == null ? List.of(a.target()) : List.of(f.resource(), a.target())) {
                Track t = track(k);
                if (t != null) t.add(new Entry(f.time(), "action", text, "act-" + a.status().label()));
            }
        }
    }

    @Override
    public void summary(RunSummary s) {
        this.summary = s;
    }

    /** Writes the page; call after the replay has finished. */
    public void write() throws IOException {
        for (Track t : tracks.values()) {
            if (t.runningSince != null) t.running.add(new Period(t.runningSince, null));
            t.runningSince = null;
            t.entries.sort(java.util.Comparator.comparing(Entry::time));
        }
        Files.writeString(file, new HtmlReportPage(this).render(), StandardCharsets.UTF_8);
    }
}
