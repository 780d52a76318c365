package dev.vigil.deploy;

import dev.vigil.core.engine.Interest;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.GuardDutyFinding;
import dev.vigil.core.event.InstanceStateChange;
import dev.vigil.core.event.SshLogLine;
import dev.vigil.core.policy.PolicyCompiler;
import dev.vigil.core.policy.PolicyDef;
import dev.vigil.core.policy.PolicyNode;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.core.policy.TargetDef;
import dev.vigil.policy.Policies;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a policy needs deployed, computed once from its enabled policies: the EventBridge rules (from each detector's
 * {@link Interest}: the event kinds and CloudTrail calls it reads), which inputs exist (sshd log subscription, trail
 * bucket), the daily report schedule, the responses it can send and the SNS topics it notifies.
 *
 * @param dailyReport the first enabled bastion daily report, or null
 * @param securityHubProducts the custom-integration product ARNs of the securityhub targets notified
 * @param timeouts the function timeout, visibility timeout and claim lease, from the policy's {@code live.function-timeout}
 */
public record DeploymentPlan(List<EventRule> rules, boolean sshLogs, boolean trailBucket, DailyReport dailyReport,
                             SortedSet<String> responses, SortedSet<String> topicArns, SortedSet<String> assumeRoleArns, boolean org,
                             SortedSet<String> securityHubProducts, Timeouts timeouts) {
    static final String API_CALL = "AWS API Call via CloudTrail";
    /** The service of each CloudTrail call a detector reads; a call missing here is an error, not a silent gap. */
    static final Map<String, String> CALL_SOURCES = Map.ofEntries(
            Map.entry("RunInstances", "ec2"), Map.entry("TerminateInstances", "ec2"), Map.entry("CreateTags", "ec2"),
            Map.entry("DeleteTags", "ec2"), Map.entry("AuthorizeSecurityGroupIngress", "ec2"), Map.entry("AuthorizeSecurityGroupEgress", "ec2"),
            Map.entry("RevokeSecurityGroupIngress", "ec2"), Map.entry("RevokeSecurityGroupEgress", "ec2"),
            Map.entry("ModifySecurityGroupRules", "ec2"), Map.entry("CreateSecurityGroup", "ec2"), Map.entry("DeleteSecurityGroup", "ec2"),
            Map.entry("CreateUser", "iam"), Map.entry("CreateAccessKey", "iam"), Map.entry("AttachUserPolicy", "iam"));

    /** A local time ({@code HH:mm}) in an IANA zone. */
    public record DailyReport(String time, String zone) {
        /** EventBridge Scheduler's cron form of the time; the zone goes in ScheduleExpressionTimezone (DST-correct). */
        public String cron() {
            String[] hm = time.split(":");
            return "cron(" + Integer.parseInt(hm[1]) + " " + Integer.parseInt(hm[0]) + " * * ? *)";
        }
    }

    public DeploymentPlan {
        rules = List.copyOf(rules);
    }

    public boolean queue() {
        return rules.stream().anyMatch(r -> r.target() == EventRule.Target.QUEUE);
    }

    public boolean eventsFunction() {
        return rules.stream().anyMatch(r -> r.target() == EventRule.Target.EVENTS_FUNCTION);
    }

    /** Any EC2 response enabled: the runtime then makes EC2 look-ups and calls. */
    public boolean ec2() {
        return !responses.isEmpty();
    }

    public static DeploymentPlan of(PolicySet set, boolean org) {
        PolicyCompiler compiler = new PolicyCompiler(Policies.registry());
        List<EventRule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        boolean ssh = false;
        boolean trail = false;
        DailyReport daily = null;
        SortedSet<String> responses = new TreeSet<>();
        Set<String> notified = new HashSet<>();
        for (PolicyDef def : set.enabled()) {
            Interest in = compiler.instantiate(def).interest();
            String stem = unique(pascal(def.name()), ids);
            if (in.types().contains(InstanceStateChange.class)) {
                rules.add(new EventRule(stem + "StateChange", def.name(), pattern("aws.ec2", "EC2 Instance State-change Notification", null), EventRule.Target.EVENTS_FUNCTION));
            }
            if (in.types().contains(GuardDutyFinding.class)) {
                rules.add(new EventRule(stem + "Finding", def.name(), pattern("aws.guardduty", "GuardDuty Finding", null), EventRule.Target.EVENTS_FUNCTION));
            }
            if (in.types().contains(CloudTrailCall.class) && in.calls().contains("*")) {
                // a detector that reads every call (Sigma rules without an eventName): every API call, any service
                Map<String, Object> all = new LinkedHashMap<>();
                all.put("detail-type", List.of(API_CALL));
                rules.add(new EventRule(stem + "AllApiCalls", def.name(), all, EventRule.Target.QUEUE));
            } else if (in.types().contains(CloudTrailCall.class)) {
                Map<String, SortedSet<String>> byService = new TreeMap<>();
                for (String call : in.calls()) {
                    String service = CALL_SOURCES.get(call);
                    if (service == null) throw new IllegalArgumentException("policy " + def.name() + ": no event source known for CloudTrail call " + call);
                    byService.computeIfAbsent(service, k -> new TreeSet<>()).add(call);
                }
                byService.forEach((service, calls) -> {
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("eventSource", List.of(service + ".amazonaws.com"));
                    detail.put("eventName", List.copyOf(calls));
                    rules.add(new EventRule(stem + pascal(service) + "Api", def.name(), pattern("aws." + service, API_CALL, detail), EventRule.Target.QUEUE));
                });
            }
            ssh |= in.types().contains(SshLogLine.class);
            if ("cloudtrail-audit".equals(def.detector())) trail = true;
            if ("bastion-watch".equals(def.detector()) && daily == null) daily = dailyReport(def.params());
            for (String rule : def.responses().keySet()) {
                for (String r : def.responsesFor(rule)) {
                    if (PolicyCompiler.NOTIFY.equals(r)) continue;
                    if (!ResponsePermissions.known(r)) throw new IllegalArgumentException("policy " + def.name() + ": no IAM permissions known for response " + r);
                    responses.add(r);
                }
            }
            notified.addAll(def.notifyTargets());
        }
        if (trail) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("bucket", Map.of("name", List.of(Template.param("TrailBucketName"))));
            detail.put("object", Map.of("key", List.of(Map.of("prefix", "AWSLogs/"))));
            rules.add(new EventRule("TrailObject", null, pattern("aws.s3", "Object Created", detail), EventRule.Target.S3_FUNCTION));
        }
        SortedSet<String> topics = new TreeSet<>();
        for (String t : notified) {
            TargetDef target = set.targets().get(t);
            if (target != null && "sns".equals(target.type()) && target.settings().get("topic-arn") != null) topics.add(target.settings().get("topic-arn"));
        }
        // a securityhub target imports into its account's own custom integration
        SortedSet<String> products = new TreeSet<>();
        for (String t : notified) {
            TargetDef target = set.targets().get(t);
            if (target != null && "securityhub".equals(target.type())) {
                String account = target.settings().get("account");
                products.add("arn:aws:securityhub:" + target.settings().get("region") + ":" + account + ":product/" + account + "/default");
            }
        }
        SortedSet<String> roles = new TreeSet<>(set.live().assumeRoles().values());
        return new DeploymentPlan(rules, ssh, trail, daily, responses, topics, roles, org, products, new Timeouts(set.live().functionTimeout()));
    }

    private static Map<String, Object> pattern(String source, String detailType, Map<String, Object> detail) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("source", List.of(source));
        p.put("detail-type", List.of(detailType));
        if (detail != null) p.put("detail", detail);
        return p;
    }

    /** bastion-watch's {@code daily-report} (enabled by default, 09:00 UTC), as the policy compiler accepted it. */
    private static DailyReport dailyReport(PolicyNode params) {
        PolicyNode r = params.map().get("daily-report");
        Map<String, PolicyNode> m = r == null ? Map.of() : r.map();
        String enabled = scalar(m, "enabled", "true");
        if (!"true".equalsIgnoreCase(enabled)) return null;
        return new DailyReport(scalar(m, "time", "09:00"), scalar(m, "zone", "UTC"));
    }

    private static String scalar(Map<String, PolicyNode> m, String key, String dflt) {
        PolicyNode n = m.get(key);
        return n == null || n.scalar() == null ? dflt : n.scalar();
    }

    static String pascal(String name) {
        StringBuilder b = new StringBuilder();
        boolean up = true;
        for (char c : name.toCharArray()) {
            if (!Character.isLetterOrDigit(c) || c > 127) {
                up = true;
                continue;
            }
            b.append(up ? Character.toUpperCase(c) : c);
            up = false;
        }
        if (b.isEmpty() || !Character.isLetter(b.charAt(0))) b.insert(0, 'P');
        return b.toString();
    }

    private static String unique(String stem, Set<String> used) {
        String s = stem;
        for (int i = 2; !used.add(s); i++) s = stem + i;
        return s;
    }
}
