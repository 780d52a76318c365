package dev.vigil.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The least-privilege IAM policy of vigil's functions, from a {@link DeploymentPlan}. Resources are ARN templates in
 * CloudFormation's {@code Fn::Sub} syntax ({@code ${AWS::AccountId}}, {@code ${AWS::StackName}}, template
 * parameters), with the stack's resources named after the stack so that each ARN is known without a reference:
 * the template wraps them in {@code Fn::Sub}, {@code vigil permissions} substitutes the values it is given.
 * No statement has a wildcard action; only the EC2 Describe calls (which take no resource-level permissions) have
 * resource {@code *}.
 */
public final class Permissions {
    /** A statement: actions sorted, resources as ARN templates, optional condition. */
    public record Statement(String sid, SortedSet<String> actions, List<String> resources, Map<String, Object> condition) {
        public Statement {
            actions = new TreeSet<>(actions);
            resources = List.copyOf(resources);
            condition = condition == null ? Map.of() : condition;
        }
    }

    static final String ARN = "arn:${AWS::Partition}:";
    static final String ACCOUNT = "${AWS::Region}:${AWS::AccountId}:";
    public static final String QUEUE_NAME = "${AWS::StackName}-events";
    public static final String TABLE_NAME = "${AWS::StackName}-state";
    public static final String GROUP_NAME = "${AWS::StackName}-timers";
    public static final String SCHEDULER_ROLE_NAME = "${AWS::StackName}-scheduler";
    public static final String TOPIC_NAME = "${AWS::StackName}-findings";
    public static final String TIMER_FUNCTION_NAME = "${AWS::StackName}-timer";
    public static final String TIMER_FUNCTION_ARN = ARN + "lambda:" + ACCOUNT + "function:" + TIMER_FUNCTION_NAME;

    private Permissions() {}

    /** The functions' statements. */
    public static List<Statement> of(DeploymentPlan plan) {
        List<Statement> out = new ArrayList<>();
        out.add(st("WriteOwnLogs", List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                List.of(ARN + "logs:" + ACCOUNT + "log-group:/aws/lambda/${AWS::StackName}-*:*"), null));
        // the policy, read at each cold start from an SSM parameter (an S3 object instead: the template's PolicyObjectAccess)
        out.add(st("ReadPolicy", List.of("ssm:GetParameter"), List.of(ARN + "ssm:" + ACCOUNT + "parameter${PolicyParameterName}"), null));
        if (plan.queue()) {
            out.add(st("ReadEventQueue", List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
                    List.of(ARN + "sqs:" + ACCOUNT + QUEUE_NAME), null));
        }
        if (plan.trailBucket()) {
            out.add(st("ReadTrailLogFiles", List.of("s3:GetObject"), List.of(ARN + "s3:::${TrailBucketName}/AWSLogs/*"), null));
        }
        out.add(st("State", List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query",
                "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem"), List.of(ARN + "dynamodb:" + ACCOUNT + "table/" + TABLE_NAME), null));
        out.add(st("Timers", List.of("scheduler:CreateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule", "scheduler:UpdateSchedule"),
                List.of(ARN + "scheduler:" + ACCOUNT + "schedule/" + GROUP_NAME + "/*"), null));
        out.add(st("PassSchedulerRole", List.of("iam:PassRole"), List.of(ARN + "iam::${AWS::AccountId}:role/" + SCHEDULER_ROLE_NAME),
                Map.of("StringEquals", Map.of("iam:PassedToService", "scheduler.amazonaws.com"))));
        List<String> topics = new ArrayList<>(List.of(ARN + "sns:" + ACCOUNT + TOPIC_NAME));
        topics.addAll(plan.topicArns());
        out.add(st("Notify", List.of("sns:Publish"), topics, null));
        if (!plan.securityHubProducts().isEmpty()) {
            out.add(st("ImportFindings", List.of("securityhub:BatchImportFindings"), List.copyOf(plan.securityHubProducts()), null));
        }
        if (plan.ec2()) {
            out.addAll(ec2(plan, "${AWS::AccountId}"));
        } else if (!plan.rules().isEmpty() || plan.sshLogs() || plan.trailBucket() || plan.dailyReport() != null) {
            // the functions look the account up at each cold start (instances and their tags, groups, ACLs: bastion-watch
            // needs the tags even when it only notifies), so the read-only look-ups are granted whatever responds
            out.add(lookUps());
        }
        SortedSet<String> iamTrail = new TreeSet<>();
        for (String r : plan.responses()) iamTrail.addAll(ResponsePermissions.iamTrailActions(r));
        if (!iamTrail.isEmpty()) { // the Sigma responses: keys and inline policies of users and roles, trails
            out.add(st("SigmaRespond", List.copyOf(iamTrail), List.of(ARN + "iam::${AWS::AccountId}:user/*", ARN + "iam::${AWS::AccountId}:role/*",
                    ARN + "cloudtrail:*:${AWS::AccountId}:trail/*"), null));
        }
        if (plan.org()) {
            out.add(st("AssumeMemberRoles", List.of("sts:AssumeRole"), List.of(ARN + "iam::*:role/${MemberRoleName}"),
                    Map.of("StringEquals", Map.of("aws:ResourceOrgID", "${OrgId}"))));
        }
        if (!plan.assumeRoleArns().isEmpty()) {
            out.add(st("AssumeListedRoles", List.of("sts:AssumeRole"), List.copyOf(plan.assumeRoleArns()), null));
        }
        return out;
    }

    /**
     * The EC2 statements alone: what a member account's role needs in an organization-wide setup.
     *
     * @param account the account part of the ARNs ({@code ${AWS::AccountId}} or {@code *})
     */
    public static List<Statement> ec2(DeploymentPlan plan, String account) {
        if (!plan.ec2()) return List.of();
        SortedSet<String> act = new TreeSet<>();
        for (String r : plan.responses()) act.addAll(ResponsePermissions.ec2Actions(r));
        // Describe* calls take no resource-level permissions: "*" is the only resource they accept
        if (act.isEmpty()) return List.of(lookUps()); // only the Sigma responses (IAM, CloudTrail) are enabled
        return List.of(lookUps(), st("Ec2Respond", List.copyOf(act), List.of(ARN + "ec2:*:" + account + ":*"), null));
    }

    /**
     * {@code ec2:DescribeRegions}, which {@code vigil run --all-regions} calls once at start to learn the enabled regions
     * (it takes no resource-level permissions, so its resource is {@code *}). The functions never call it.
     */
    public static Statement listRegions() {
        return st("ListRegions", List.of("ec2:DescribeRegions"), List.of("*"), null);
    }

    private static Statement lookUps() {
        return st("Ec2LookUps", ResponsePermissions.LOOKUPS, List.of("*"), null);
    }

    /** Every action granted. */
    public static SortedSet<String> actions(List<Statement> statements) {
        SortedSet<String> out = new TreeSet<>();
        statements.forEach(s -> out.addAll(s.actions()));
        return out;
    }

    /**
     * An IAM policy document; {@code resource} turns each ARN template into what the document holds (an
     * {@code Fn::Sub} object in a template, a plain string with values substituted for the CLI).
     */
    public static Map<String, Object> document(List<Statement> statements, java.util.function.Function<String, Object> resource) {
        List<Object> st = new ArrayList<>();
        for (Statement s : statements) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Sid", s.sid());
            m.put("Effect", "Allow");
            m.put("Action", List.copyOf(s.actions()));
            m.put("Resource", s.resources().stream().map(resource).toList());
            if (!s.condition().isEmpty()) m.put("Condition", deep(s.condition(), resource));
            st.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("Version", "2012-10-17");
        doc.put("Statement", st);
        return doc;
    }

    private static Object deep(Object o, java.util.function.Function<String, Object> resource) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), deep(v, resource)));
            return out;
        }
        return o instanceof String s && s.contains("${") ? resource.apply(s) : o;
    }

    private static Statement st(String sid, List<String> actions, List<String> resources, Map<String, Object> condition) {
        return new Statement(sid, new TreeSet<>(actions), resources, condition);
    }
}
