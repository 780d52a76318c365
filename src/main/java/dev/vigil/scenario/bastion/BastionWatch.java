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
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bastion watch: start and stop alerts, an alert when a bastion has run past a threshold counted from its launch
 * time (repeated while it runs), a daily report of every bastion, and an alert when the number of bastions changes.
 * Durable timers in event time replace the original's per-instance CloudWatch rules and their fudge factor.
 */
public final class BastionWatch implements DetectorType {
    public static final String NAME = "bastion-watch";
    public static final String RUNNING = "bastion-running";
    public static final String STOPPED = "bastion-stopped";
    public static final String UPTIME = "bastion-uptime-exceeded";
    public static final String REPORT = "bastion-daily-report";
    public static final String COUNT = "bastion-count-changed";
    public static final String STOP_INSTANCE = "stop-instance";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "bastion hosts: start/stop, uptime past a threshold from launch time, daily report, count integrity";
    }

    @Override
    public List<RuleInfo> rules() {
        return List.of(
                new RuleInfo(RUNNING, Severity.INFO, "a bastion entered the running state", List.of()),
                new RuleInfo(STOPPED, Severity.INFO, "a bastion is stopping, stopped or terminated", List.of()),
                new RuleInfo(UPTIME, Severity.HIGH, "a bastion has run longer than the threshold since its launch", List.of(STOP_INSTANCE)),
                new RuleInfo(REPORT, Severity.INFO, "daily report of every bastion and its running time", List.of()),
                new RuleInfo(COUNT, Severity.HIGH, "the number of bastion-tagged instances changed", List.of()));
    }

    @Override
    public Map<String, List<String>> iamActions() {
        return Map.of(STOP_INSTANCE, List.of("ec2:StopInstances"));
    }

    /** The policy's parameters. {@code expectedCount} is null when not configured. */
    record Settings(String tagKey, String tagValue, Set<InstanceId> listed, Duration threshold, Duration repeat, boolean report,
                    LocalTime reportTime, ZoneId zone, Integer expectedCount) {}

    @Override
    public Detector create(Params p) {
        Set<InstanceId> listed = new LinkedHashSet<>();
        for (String id : p.strings("instances", List.of())) {
            try {
                listed.add(InstanceId.of(id));
            } catch (IllegalArgumentException e) {
                throw p.error("instances", "expected instance ids such as i-0123456789abcdef0, found '" + id + "'");
            }
        }
        Params r = p.child("daily-report");
        int expected = p.integer("expected-count", -1, -1, 10_000);
        Settings s = new Settings(p.string("tag-key", "isBastion"), p.string("tag-value", "True"), listed,
                p.duration("threshold", Duration.ofHours(48)), p.duration("repeat", Duration.ofHours(24)), r.bool("enabled", true),
                r.time("time", LocalTime.of(9, 0)), r.zone("zone", ZoneOffset.UTC), expected < 0 ? null : expected);
        return new BastionDetector(s);
    }
}
