package dev.vigil.scenario.bastion;

import dev.vigil.core.engine.Detector;
import dev.vigil.core.engine.DetectorType;
import dev.vigil.core.engine.RuleInfo;
import dev.vigil.core.event.InstanceId;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.policy.Params;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bastion watch: start and stop of bastion hosts, an alert once a bastion has run past a threshold counted from its
 * launch time (repeated while it runs), a daily report, and an alert when the number of bastions differs from the
 * expected one. Durable timers in event time replace the original's per-instance CloudWatch rules and their fudge
 * factor for rules that fired early.
 */
public final class BastionWatch implements DetectorType {
    public static final String NAME = "bastion-watch";
    public static final String RUNNING = "bastion-running";
    public static final String STOPPED = "bastion-stopped";
    public static final String UPTIME = "bastion-uptime-exceeded";
    public static final String REPORT = "bastion-daily-report";
    public static final String COUNT = "bastion-count-changed";
    public static final String STOP_INSTANCE = "stop-instance";
    /** The key of the timer that makes the daily report and count check (one per policy; its data holds the count). */
    public static final String DAILY_TIMER = "daily-report";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "bastion hosts: start and stop, uptime past a threshold from launch time, daily report, count integrity";
    }

    @Override
    public List<RuleInfo> rules() {
        return List.of(
                new RuleInfo(RUNNING, Severity.INFO, "a bastion entered the running state", List.of()),
                new RuleInfo(STOPPED, Severity.INFO, "a bastion is stopping, stopped, shutting down or terminated", List.of()),
                new RuleInfo(UPTIME, Severity.HIGH, "a bastion has run longer than the threshold since its launch (repeats while it runs)",
                        List.of(STOP_INSTANCE)),
                new RuleInfo(REPORT, Severity.INFO, "daily report of every bastion, its state and running time", List.of()),
                new RuleInfo(COUNT, Severity.HIGH, "the number of bastions differs from the expected count", List.of()));
    }

    @Override
    public Map<String, List<String>> iamActions() {
        return Map.of(STOP_INSTANCE, List.of("ec2:StopInstances"));
    }

    @Override
    public Detector create(Params p) {
        String key = p.string("tag-key", "isBastion");
        if (key.isBlank()) throw p.error("tag-key", "must not be empty");
        String value = p.string("tag-value", "True");
        Set<InstanceId> listed = new LinkedHashSet<>();
        for (String id : p.strings("instances", List.of())) {
            try {
                listed.add(InstanceId.of(id.trim()));
            } catch (RuntimeException e) {
                throw p.error("instances", "expected instance ids such as i-0123456789abcdef0, found '" + id + "'");
            }
        }
        Duration threshold = p.duration("threshold", Duration.ofHours(48));
        Duration repeat = p.duration("repeat", Duration.ofHours(24));
        Params r = p.child("daily-report");
        boolean report = r.bool("enabled", true);
        DailySchedule schedule = new DailySchedule(r.time("time", LocalTime.of(9, 0)), r.zone("zone", ZoneId.of("UTC")));
        Integer expected = p.has("expected-count") ? p.integer("expected-count", 0, 0, 100_000) : null;
        int max = p.integer("max-tracked-instances", 100_000, 100, 10_000_000);
        return new BastionDetector(new BastionSettings(key, value, listed, threshold, repeat, report, schedule, expected, max));
    }
}
