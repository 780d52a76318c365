package dev.vigil.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.s3.S3Client;

/** The Sigma responses' executor against moto's IAM and CloudTrail: apply, idempotency, undo. */
class IamTrailExecutorTest {
    static SigmaMoto moto;
    static IamTrailExecutor exec;
    static IamClient iam;
    static CloudTrailClient trail;
    static final StaticCredentialsProvider CREDS = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    @BeforeAll
    static void start() throws Exception {
        moto = SigmaMoto.start();
        assumeTrue(moto != null, "moto's server (python3 -m moto.server) is not available here");
        exec = IamTrailExecutor.create(Region.US_EAST_1, moto.endpoint, CREDS);
        iam = IamClient.builder().region(Region.AWS_GLOBAL).credentialsProvider(CREDS).httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(moto.endpoint).build();
        trail = CloudTrailClient.builder().region(Region.US_EAST_1).credentialsProvider(CREDS).httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(moto.endpoint).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (exec != null) exec.close();
        if (iam != null) iam.close();
        if (trail != null) trail.close();
        if (moto != null) moto.close();
    }

    static Map<String, Object> call(String action, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Action", action);
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void deactivateAccessKeyOnceAndUndo() {
        iam.createUser(b -> b.userName("mallory"));
        String key = iam.createAccessKey(b -> b.userName("mallory")).accessKey().accessKeyId();
        ActionPlan plan = new ActionPlan("deactivate-access-key", key, call("UpdateAccessKey", "UserName", "mallory", "AccessKeyId", key, "Status", "Inactive"),
                "deactivate", "deactivate-access-key:" + key, true, call("UpdateAccessKey", "UserName", "mallory", "AccessKeyId", key, "Status", "Active"));
        ActionResult r = exec.execute(plan, null, false);
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(status("mallory", key)).isEqualTo(StatusType.INACTIVE);
        assertThat(r.undo()).containsEntry("Status", "Active");
        ActionResult again = exec.execute(plan, null, false);
        assertThat(again.status()).isEqualTo(ActionStatus.ALREADY_APPLIED);
        assertThat(again.undo()).isEmpty(); // not ours to undo
        assertThat(exec.undo(r, false).status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(status("mallory", key)).isEqualTo(StatusType.ACTIVE);
        assertThat(exec.execute(plan, null, true).status()).isEqualTo(ActionStatus.PLANNED);
        assertThat(status("mallory", key)).isEqualTo(StatusType.ACTIVE);
        ActionPlan missing = new ActionPlan("deactivate-access-key", "AKIANOPE", call("UpdateAccessKey", "UserName", "mallory", "AccessKeyId",
                "AKIAI44QH8DHBEXAMPLE", "Status", "Inactive"), "x", null, true);
        assertThat(exec.execute(missing, null, false).status()).isEqualTo(ActionStatus.FAILED);
    }

    @Test
    void revokeRoleSessionsPutsTheDenyPolicyAndUndoDeletesIt() {
        iam.createRole(b -> b.roleName("app").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[]}"));
        String doc = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
                + "\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"2025-01-15T10:00:00Z\"}}}]}";
        ActionPlan plan = new ActionPlan("revoke-role-sessions", "app", call("PutRolePolicy", "RoleName", "app", "PolicyName", "vigil-revoke-older-sessions",
                "PolicyDocument", doc), "revoke", "k", true, call("DeleteRolePolicy", "RoleName", "app", "PolicyName", "vigil-revoke-older-sessions"));
        ActionResult r = exec.execute(plan, null, false);
        assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(iam.listRolePolicies(b -> b.roleName("app")).policyNames()).containsExactly("vigil-revoke-older-sessions");
        assertThat(exec.execute(plan, null, false).status()).isEqualTo(ActionStatus.ALREADY_APPLIED);
        assertThat(exec.undo(r, false).status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(iam.listRolePolicies(b -> b.roleName("app")).policyNames()).isEmpty();
        assertThat(exec.undo(r, false).status()).isEqualTo(ActionStatus.ALREADY_APPLIED);
    }

    @Test
    void restartTrailAfterStopLogging() {
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(CREDS).httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(moto.endpoint).forcePathStyle(true).build()) {
            s3.createBucket(b -> b.bucket("trail-bucket"));
        }
        trail.createTrail(b -> b.name("main").s3BucketName("trail-bucket"));
        trail.startLogging(b -> b.name("main"));
        trail.stopLogging(b -> b.name("main"));
        ActionPlan plan = new ActionPlan("restart-trail", "main", call("StartLogging", "Name", "main"), "restart", "k", true, call("StopLogging", "Name", "main"));
        ActionResult r = exec.execute(plan, null, false);
        assertThat(r.status()).as(r.detail()).isEqualTo(ActionStatus.APPLIED);
        assertThat(trail.getTrailStatus(b -> b.name("main")).isLogging()).isTrue();
        assertThat(exec.execute(plan, null, false).status()).isEqualTo(ActionStatus.ALREADY_APPLIED);
        assertThat(exec.undo(r, false).status()).isEqualTo(ActionStatus.APPLIED);
        assertThat(trail.getTrailStatus(b -> b.name("main")).isLogging()).isFalse();
        ActionPlan none = new ActionPlan("restart-trail", "gone", call("StartLogging", "Name", "gone"), "restart", "k2", true);
        ActionResult failed = exec.execute(none, null, false);
        assertThat(failed.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(failed.detail()).contains("StartLogging failed");
    }

    static StatusType status(String user, String key) {
        return iam.listAccessKeys(b -> b.userName(user)).accessKeyMetadata().stream().filter(k -> k.accessKeyId().equals(key)).findFirst().orElseThrow().status();
    }
}
