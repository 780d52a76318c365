package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.policy.Policies;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generated SAM template, parsed back from YAML: references resolve, resources are as the runtime expects. */
class TemplateStructureTest {
    static final Set<String> PSEUDO = Set.of("AWS::AccountId", "AWS::Region", "AWS::Partition", "AWS::StackName", "AWS::StackId",
            "AWS::URLSuffix", "AWS::NoValue");
    static final Pattern SUB_VAR = Pattern.compile("\\$\\{([^}!]+)}");

    static PolicySet policy(String which) throws Exception {
        return switch (which) {
            case "examples" -> Templates.examplesPolicy();
            case "default" -> Policies.defaults();
            default -> Templates.examplesPolicyWithout("bastions", "ssh", "admin-groups", "guardduty", "audit");
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"examples", "default", "none"})
    void everyReferenceNamesAResourceOrParameter(String which) throws Exception {
        for (boolean org : List.of(false, true)) {
            JsonNode t = Templates.template(policy(which), org);
            Set<String> names = new HashSet<>(PSEUDO);
            t.get("Parameters").fieldNames().forEachRemaining(names::add);
            Set<String> functions = new HashSet<>();
            t.get("Resources").properties().forEach(e -> {
                names.add(e.getKey());
                if (e.getValue().path("Type").asText().equals("AWS::Serverless::Function")) functions.add(e.getKey());
            });
            // SAM's AutoPublishAlias (a Global here) makes <Function>.Alias and <Function>.Version referable
            assertThat(t.at("/Globals/Function/AutoPublishAlias").asText()).isEqualTo("live");
            functions.forEach(f -> names.addAll(List.of(f + ".Alias", f + ".Version")));
            List<String> refs = new ArrayList<>();
            Templates.walk(t, n -> {
                if (!n.isObject()) return;
                if (n.has("Ref")) refs.add(n.get("Ref").asText());
                if (n.has("Fn::GetAtt")) refs.add(n.get("Fn::GetAtt").get(0).asText());
                if (n.has("Fn::Sub")) {
                    Matcher m = SUB_VAR.matcher(n.get("Fn::Sub").asText());
                    while (m.find()) refs.add(m.group(1).contains("::") ? m.group(1) : m.group(1).split("\\.")[0]);
                }
            });
            assertThat(refs).isNotEmpty();
            assertThat(refs).as(which + " org=" + org).allSatisfy(r -> assertThat(names).contains(r));
            // every parameter is used (a parameter nothing reads would be asked for in vain at deploy time)
            Set<String> params = new TreeSet<>();
            t.get("Parameters").fieldNames().forEachRemaining(params::add);
            assertThat(refs).containsAll(params);
        }
    }

    @Test
    void yamlAndJsonAreTheSameTemplate() throws Exception {
        var map = TemplateBuilder.build(DeploymentPlan.of(Templates.examplesPolicy(), true));
        assertThat(Templates.YAML.readTree(Rendering.yaml(map))).isEqualTo(Templates.JSON.readTree(Rendering.json(map)));
        // IAM versions and the template version stay strings for a YAML 1.1 reader (an unquoted 2012-10-17 is a date)
        assertThat(Rendering.yaml(map)).contains("\"2012-10-17\"").doesNotContain(": 2012-10-17");
    }

    @Test
    void functionsTableQueueTimersAndTopic() throws Exception {
        JsonNode t = Templates.template(Templates.examplesPolicy(), false);
        assertThat(t.get("Transform").asText()).isEqualTo("AWS::Serverless-2016-10-31");
        JsonNode g = t.at("/Globals/Function");
        assertThat(g.get("Runtime").asText()).isEqualTo("java21");
        // the slim zip of scripts/lambda-zip.sh, named with the pom's version (LambdaZipTest loads the handlers from it)
        assertThat(g.get("CodeUri").asText()).isEqualTo(LambdaPackage.codeUri()).matches("target/dist/vigil-lambda-[0-9][^/]*\\.zip");
        assertThat(g.at("/SnapStart/ApplyOn").asText()).isEqualTo("PublishedVersions");
        assertThat(iterable(g.at("/Environment/Variables").fieldNames())).containsExactlyInAnyOrder("VIGIL_TABLE", "VIGIL_SCHEDULE_GROUP",
                "VIGIL_TIMER_FUNCTION_ARN", "VIGIL_SCHEDULER_ROLE_ARN", "VIGIL_TOPIC_ARN", "VIGIL_POLICY", "VIGIL_POLICY_REVISION", "VIGIL_CLAIM_LEASE_SECONDS");
        JsonNode r = t.get("Resources");
        Set<String> handlers = new TreeSet<>();
        r.forEach(res -> {
            if (res.path("Type").asText().equals("AWS::Serverless::Function")) handlers.add(res.at("/Properties/Handler").asText());
        });
        assertThat(handlers).containsExactlyInAnyOrder("dev.vigil.lambda.EventsHandler::handleRequest", "dev.vigil.lambda.SqsHandler::handleRequest",
                "dev.vigil.lambda.S3Handler::handleRequest", "dev.vigil.lambda.LogsHandler::handleRequest",
                "dev.vigil.lambda.ScheduleHandler::handleRequest", "dev.vigil.lambda.TimerHandler::handleRequest");
        // the timer function's ARN the runtime gives Scheduler is the one the Scheduler role may invoke
        String timerName = r.at("/TimerHandler/Properties/FunctionName/Fn::Sub").asText();
        String timerArn = g.at("/Environment/Variables/VIGIL_TIMER_FUNCTION_ARN/Fn::Sub").asText();
        assertThat(timerArn).contains(":function:" + timerName + ":live");
        JsonNode invoke = r.at("/SchedulerRole/Properties/Policies/0/PolicyDocument/Statement/0");
        assertThat(Templates.actions(invoke)).containsExactly("lambda:InvokeFunction");
        assertThat(invoke.get("Resource").toString()).contains(timerName + ":*\"");
        assertThat(r.at("/SchedulerRole/Properties/AssumeRolePolicyDocument/Statement/0/Principal/Service").asText()).isEqualTo("scheduler.amazonaws.com");
        // daily report at 09:00 Paris time: Scheduler's cron in the policy's zone (DST-correct)
        assertThat(r.at("/ScheduleHandler/Properties/Events/DailyReport/Properties/ScheduleExpression").asText()).isEqualTo("cron(0 9 * * ? *)");
        assertThat(r.at("/ScheduleHandler/Properties/Events/DailyReport/Properties/ScheduleExpressionTimezone").asText()).isEqualTo("Europe/Paris");
        // table: pk/sk strings, TTL on "ttl", on demand
        JsonNode table = r.at("/StateTable/Properties");
        assertThat(table.get("BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
        assertThat(table.get("KeySchema").toString()).contains("\"pk\"", "HASH", "\"sk\"", "RANGE");
        assertThat(table.at("/AttributeDefinitions/0/AttributeType").asText()).isEqualTo("S");
        assertThat(table.at("/TimeToLiveSpecification/AttributeName").asText()).isEqualTo("ttl");
        // queue with its DLQ; SQS batches report partial failures
        assertThat(r.at("/EventQueue/Properties/RedrivePolicy/deadLetterTargetArn/Fn::GetAtt/0").asText()).isEqualTo("EventDeadLetterQueue");
        assertThat(r.at("/SqsHandler/Properties/Events/Queue/Properties/FunctionResponseTypes/0").asText()).isEqualTo("ReportBatchItemFailures");
        assertThat(r.at("/LogsHandler/Properties/Events/SshLogs/Type").asText()).isEqualTo("CloudWatchLogs");
        assertThat(r.at("/LogsHandler/Properties/Events/SshLogs/Properties/LogGroupName/Ref").asText()).isEqualTo("SshLogGroupName");
        assertThat(r.at("/TimerGroup/Type").asText()).isEqualTo("AWS::Scheduler::ScheduleGroup");
        assertThat(r.at("/FindingsTopic/Type").asText()).isEqualTo("AWS::SNS::Topic");
        // every rule that invokes a function has a permission for exactly that rule
        r.properties().forEach(e -> {
            JsonNode target = e.getValue().at("/Properties/Targets/0/Arn");
            if (target.has("Ref")) {
                String perm = e.getKey().replaceAll("Rule$", "Permission");
                assertThat(r.at("/" + perm + "/Properties/SourceArn/Fn::GetAtt/0").asText()).isEqualTo(e.getKey());
                assertThat(r.at("/" + perm + "/Properties/FunctionName")).isEqualTo(target);
            }
        });
    }

    @Test
    void organizationWide() throws Exception {
        JsonNode plain = Templates.template(Templates.examplesPolicy(), false);
        JsonNode org = Templates.template(Templates.examplesPolicy(), true);
        assertThat(plain.at("/Parameters/OrgId").isMissingNode()).isTrue();
        assertThat(Templates.functionActions(plain)).doesNotContain("sts:AssumeRole");
        JsonNode bus = org.at("/Resources/OrganizationEventBusPolicy/Properties/Statement");
        assertThat(bus.at("/Condition/StringEquals/aws:PrincipalOrgID/Ref").asText()).isEqualTo("OrgId");
        assertThat(Templates.actions(bus)).containsExactly("events:PutEvents");
        JsonNode assume = null;
        for (JsonNode s : org.at("/Resources/FunctionRole/Properties/Policies/0/PolicyDocument/Statement")) {
            if (s.get("Sid").asText().equals("AssumeMemberRoles")) assume = s;
        }
        assertThat(assume).isNotNull();
        assertThat(Templates.actions(assume)).containsExactly("sts:AssumeRole");
        assertThat(assume.at("/Resource/0/Fn::Sub").asText()).endsWith(":role/${MemberRoleName}");
        assertThat(assume.at("/Condition/StringEquals/aws:ResourceOrgID/Fn::Sub").asText()).isEqualTo("${OrgId}");
    }

    @Test
    void disablingPoliciesRemovesTheirRulesFunctionsAndParameters() throws Exception {
        JsonNode all = Templates.template(Templates.examplesPolicy(), false);
        JsonNode less = Templates.template(Templates.examplesPolicyWithout("audit", "ssh"), false);
        assertThat(all.at("/Resources/AuditIamApiRule").isMissingNode()).isFalse();
        assertThat(less.at("/Resources/AuditIamApiRule").isMissingNode()).isTrue();
        assertThat(less.at("/Resources/TrailObjectRule").isMissingNode()).isTrue();
        assertThat(less.at("/Resources/S3Handler").isMissingNode()).isTrue();
        assertThat(less.at("/Resources/LogsHandler").isMissingNode()).isTrue();
        assertThat(less.at("/Parameters/TrailBucketName").isMissingNode()).isTrue();
        assertThat(less.at("/Parameters/SshLogGroupName").isMissingNode()).isTrue();
        assertThat(Templates.functionActions(less)).doesNotContain("s3:GetObject");
        JsonNode none = Templates.template(policy("none"), false);
        assertThat(iterable(none.get("Resources").fieldNames())).noneMatch(n -> n.endsWith("Rule"));
        assertThat(Templates.functionActions(none)).noneMatch(a -> a.startsWith("ec2:") || a.startsWith("sqs:"));
    }

    static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
