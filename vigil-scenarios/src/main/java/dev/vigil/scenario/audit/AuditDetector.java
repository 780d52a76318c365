package dev.vigil.scenario.audit;

import dev.vigil.core.engine.Detector;
import dev.vigil.core.engine.DetectorContext;
import dev.vigil.core.engine.Interest;
import dev.vigil.core.engine.Timer;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.SecurityEvent;
import java.util.HashSet;
import java.util.Set;

/** One policy's cloudtrail-audit: routes the calls it reads to the tag rule and the off-hours rule. */
public final class AuditDetector implements Detector {
    private static final String EC2 = "ec2.amazonaws.com";
    private static final String IAM = "iam.amazonaws.com";

    private final TagCompliance tags;
    private final OffHoursUsers users;
    private final AuditStats stats;
    private final Interest interest;

    AuditDetector(TagCompliance tags, OffHoursUsers users, AuditStats stats) {
        this.tags = tags;
        this.users = users;
        this.stats = stats;
        Set<String> calls = new HashSet<>();
        if (tags != null) calls.addAll(Set.of("RunInstances", "CreateTags", "DeleteTags", "TerminateInstances"));
        if (users != null) calls.addAll(Set.of("CreateUser", "CreateAccessKey", "AttachUserPolicy"));
        this.interest = Interest.of(Set.of(CloudTrailCall.class), calls);
    }

    @Override
    public Interest interest() {
        return interest;
    }

    /** Failed calls ignored and memory evictions, for the run summary. */
    public AuditStats stats() {
        return stats;
    }

    @Override
    public java.util.Map<String, Long> counters() {
        return stats.asMap();
    }

    @Override
    public void onEvent(SecurityEvent event, DetectorContext ctx) {
        if (!(event instanceof CloudTrailCall c) || c.eventName() == null) return;
        boolean ec2 = tags != null && EC2.equals(c.eventSource());
        boolean iam = users != null && IAM.equals(c.eventSource());
        if (!ec2 && !iam) return; // the same name from another service (Transfer's CreateUser, say)
        if (c.failed()) {
            stats.failed(c.eventName()); // a call that failed changed nothing
            return;
        }
        if (ec2) {
            switch (c.eventName()) {
                case "RunInstances" -> tags.runInstances(c, ctx);
                case "CreateTags" -> tags.changeTags(c, ctx, false);
                case "DeleteTags" -> tags.changeTags(c, ctx, true);
                case "TerminateInstances" -> tags.terminate(c, ctx);
                default -> { }
            }
        } else {
            switch (c.eventName()) {
                case "CreateUser" -> users.createUser(c, ctx);
                case "CreateAccessKey" -> users.createAccessKey(c, ctx);
                case "AttachUserPolicy" -> users.attachUserPolicy(c, ctx);
                default -> { }
            }
        }
    }

    @Override
    public void onTimer(Timer timer, DetectorContext ctx) {
        if (timer.key().startsWith(TagCompliance.TIMER) && tags != null) tags.onTimer(timer, ctx);
        else if (timer.key().startsWith(OffHoursUsers.TIMER) && users != null) users.onTimer(timer, ctx);
    }
}
