package dev.vigil.scenario.audit;

import dev.vigil.core.engine.Detector;
import dev.vigil.core.engine.DetectorType;
import dev.vigil.core.engine.RuleInfo;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.policy.Params;
import java.time.Duration;
import java.util.List;

/**
 * The {@code cloudtrail-audit} detector: required tags on EC2 instances, and IAM users created outside office
 * hours, from CloudTrail records (S3-delivered log files, or EventBridge). World-open security groups in the same
 * files are {@code sg-guard}'s {@code sg-open-to-world}. Findings are notified; nothing is changed.
 */
public final class CloudTrailAudit implements DetectorType {
    public static final String NAME = "cloudtrail-audit";
    public static final List<RequiredTag> DEFAULT_TAGS = List.of(RequiredTag.key("Owner"));
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(10);
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    public static final List<String> DEFAULT_ADMIN_POLICIES = List.of("arn:aws:iam::aws:policy/AdministratorAccess");
    public static final int DEFAULT_MAX_INSTANCES = 100_000;

    private static final List<RuleInfo> RULES = List.of(
            new RuleInfo(TagCompliance.RULE, Severity.MEDIUM,
                    "an EC2 instance lacks a required tag (or has a value not allowed) after the grace period, or loses one later",
                    List.of()),
            new RuleInfo(OffHoursUsers.RULE, Severity.MEDIUM,
                    "an IAM user was created outside office hours (follow-ups: access key, administrator policy for it)",
                    List.of()));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "CloudTrail auditor: required tags on EC2 instances, IAM users created outside office hours";
    }

    @Override
    public List<RuleInfo> rules() {
        return RULES;
    }

    @Override
    public Detector create(Params p) {
        List<String> rules = p.strings("rules", List.of(TagCompliance.RULE, OffHoursUsers.RULE));
        for (String r : rules) {
            if (!r.equals(TagCompliance.RULE) && !r.equals(OffHoursUsers.RULE)) {
                throw p.error("rules", "expected " + TagCompliance.RULE + " and/or " + OffHoursUsers.RULE + ", found '" + r + "'");
            }
        }
        List<RequiredTag> tags = RequiredTag.readAll(p, "required-tags", DEFAULT_TAGS);
        Duration grace = p.duration("grace-period", DEFAULT_GRACE);
        Severity tagSeverity = p.severity("missing-tags-severity", Severity.MEDIUM);
        int maxInstances = p.integer("max-instances", DEFAULT_MAX_INSTANCES, 100, 10_000_000);
        OfficeHours hours = OfficeHours.read(p.child("office-hours"));
        Duration window = p.duration("follow-up-window", DEFAULT_WINDOW);
        List<String> admin = p.strings("admin-policies", DEFAULT_ADMIN_POLICIES);
        Severity userSeverity = p.severity("off-hours-severity", Severity.MEDIUM);

        AuditStats stats = new AuditStats();
        TagCompliance tagRule = rules.contains(TagCompliance.RULE) && !tags.isEmpty()
                ? new TagCompliance(tags, grace, tagSeverity, maxInstances, stats) : null;
        OffHoursUsers userRule = rules.contains(OffHoursUsers.RULE)
                ? new OffHoursUsers(hours, window, userSeverity, admin, stats) : null;
        return new AuditDetector(tagRule, userRule, stats);
    }
}
