package dev.vigil.lambda;

import dev.vigil.deploy.TemplateBuilder;
import dev.vigil.deploy.Timeouts;
import java.net.URI;
import java.time.Duration;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * What the deployment template tells the functions through their environment ({@code TemplateBuilder} sets the
 * {@code VIGIL_*} variables; Lambda sets {@code AWS_REGION}). Read once per cold start.
 *
 * @param table VIGIL_TABLE, the state table
 * @param scheduleGroup VIGIL_SCHEDULE_GROUP, the Scheduler group of timers
 * @param timerFunctionArn VIGIL_TIMER_FUNCTION_ARN, the timer function (alias) timers invoke
 * @param schedulerRoleArn VIGIL_SCHEDULER_ROLE_ARN, the role Scheduler assumes to invoke it
 * @param topicArn VIGIL_TOPIC_ARN, the stack's findings topic (null: findings are only logged)
 * @param policy VIGIL_POLICY, the policy file (default {@value #DEFAULT_POLICY}: Lambda unpacks the jar under /var/task)
 * @param region AWS_REGION (default us-east-1)
 * @param endpoint VIGIL_ENDPOINT_URL, an AWS-compatible endpoint for every call (local stacks), or null
 * @param lease VIGIL_CLAIM_LEASE_SECONDS, the DynamoDB store's claim lease, which the template derives from the same
 *     setting as the function and visibility timeouts ({@code deploy.Timeouts}); default that of the default timeout
 */
public record LambdaSettings(String table, String scheduleGroup, String timerFunctionArn, String schedulerRoleArn, String topicArn,
                             Path policy, String region, URI endpoint, Duration lease) {
    public static final String DEFAULT_POLICY = "/var/task/vigil-policy.yaml";

    public LambdaSettings {
        if (lease == null || lease.isNegative() || lease.isZero()) throw new IllegalArgumentException("claim lease must be positive: " + lease);
    }

    public LambdaSettings(String table, String scheduleGroup, String timerFunctionArn, String schedulerRoleArn, String topicArn,
                          Path policy, String region, URI endpoint) {
        this(table, scheduleGroup, timerFunctionArn, schedulerRoleArn, topicArn, policy, region, endpoint, Timeouts.DEFAULT.lease());
    }

    public static LambdaSettings from(Function<String, String> env) {
        String policy = blankToNull(env.apply("VIGIL_POLICY"));
        String region = blankToNull(env.apply("AWS_REGION"));
        String endpoint = blankToNull(env.apply("VIGIL_ENDPOINT_URL"));
        return new LambdaSettings(blankToNull(env.apply("VIGIL_TABLE")), blankToNull(env.apply("VIGIL_SCHEDULE_GROUP")),
                blankToNull(env.apply("VIGIL_TIMER_FUNCTION_ARN")), blankToNull(env.apply("VIGIL_SCHEDULER_ROLE_ARN")),
                blankToNull(env.apply("VIGIL_TOPIC_ARN")), Path.of(policy == null ? DEFAULT_POLICY : policy),
                region == null ? "us-east-1" : region, endpoint == null ? null : URI.create(endpoint), lease(env.apply(TemplateBuilder.LEASE_VARIABLE)));
    }

    private static Duration lease(String seconds) {
        String s = blankToNull(seconds);
        if (s == null) return Timeouts.DEFAULT.lease();
        try {
            long n = Long.parseLong(s);
            if (n > 0) return Duration.ofSeconds(n);
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalStateException("environment variable " + TemplateBuilder.LEASE_VARIABLE + " must be a positive number of seconds, found '" + s + "'");
    }

    /**
     * The stack's own account, read from the timer function's ARN ({@code arn:aws:lambda:REGION:ACCOUNT:function:...}):
     * known at init without a call to STS. Null when the ARN is missing or malformed.
     */
    public String account() {
        if (timerFunctionArn == null) return null;
        String[] p = timerFunctionArn.split(":", -1);
        return p.length >= 6 && p[0].equals("arn") && p[4].matches("\\d{12}") ? p[4] : null;
    }

    /** The value, or an error naming the variable that should hold it. */
    static String required(String value, String variable) {
        if (value == null) throw new IllegalStateException("environment variable " + variable + " is not set (the deployment template sets it)");
        return value;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
