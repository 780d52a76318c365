package dev.vigil.aws;

import static dev.vigil.aws.Ec2Stub.LIBCLOUD;
import static dev.vigil.aws.Ec2Stub.corpus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.AccountId;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

class AccountRoutingExecutorTest {
    static final String OWN = "123456789012";

    static Finding finding(String account, String region) {
        return new Finding("ssh.brute-force", "p", Severity.HIGH, Instant.parse("2026-11-23T08:00:00Z"),
                account == null ? null : new AccountId(account), region == null ? null : new dev.vigil.core.event.Region(region),
                "i-2ba64342", "203.0.113.7", "s", List.of("e1"), List.of(), Map.of());
    }

    static final ActionPlan STOP = new ActionPlan("stop-instance", "i-2ba64342", Map.of("Action", "StopInstances", "InstanceId", List.of("i-2ba64342")),
            "stop", "k", true, Map.of("Action", "StartInstances", "InstanceId", List.of("i-2ba64342")));
    static final ActionPlan NOTIFY = new ActionPlan("notify", "team", Map.of("target_type", "slack"), "notify team", null, false);

    /** Records (account, region) of each executor asked for; every executor answers applied naming them. */
    static final class FakeClients implements AccountRoutingExecutor.Clients {
        final List<String> asked = new ArrayList<>();
        final Set<String> roles;

        FakeClients(Set<String> roles) {
            this.roles = roles;
        }

        @Override
        public UndoableExecutor ec2(String account, String region) {
            asked.add(account + "/" + region);
            return new UndoableExecutor() {
                @Override
                public ActionResult execute(ActionPlan plan, Finding f, boolean dryRun) {
                    return ActionResult.of(plan, ActionStatus.APPLIED, "in " + account + "/" + region + (dryRun ? " (dry)" : ""));
                }

                @Override
                public ActionResult undo(ActionResult recorded, boolean dryRun) {
                    return new ActionResult("undo", recorded.target(), ActionStatus.APPLIED, "undone in " + account + "/" + region, recorded.undo());
                }
            };
        }

        @Override
        public boolean assumesRoleIn(String account) {
            return roles.contains(account);
        }
    }

    final List<ActionPlan> notified = new ArrayList<>();
    final FakeClients fake = new FakeClients(Set.of("210987654321"));
    final AccountRoutingExecutor routing = new AccountRoutingExecutor((plan, f, dry) -> {
        notified.add(plan);
        return ActionResult.of(plan, ActionStatus.APPLIED, "sent");
    }, fake, OWN, "eu-west-1");

    @Test
    void notifyPlansGoToTheNotifyExecutorAndNothingElse() {
        ActionResult r = routing.execute(NOTIFY, finding("999999999999", "us-east-1"), false);
        assertThat(r.detail()).isEqualTo("sent");
        assertThat(notified).containsExactly(NOTIFY);
        assertThat(fake.asked).isEmpty();
    }

    @Test
    void actionsRunInTheFindingsAccountAndRegion() {
        assertThat(routing.execute(STOP, finding(OWN, "us-east-2"), true).detail()).isEqualTo("in 123456789012/us-east-2 (dry)");
        assertThat(routing.execute(STOP, finding("210987654321", "ap-south-1"), false).detail()).isEqualTo("in 210987654321/ap-south-1");
        assertThat(routing.execute(STOP, finding(null, null), false).detail()).isEqualTo("in 123456789012/eu-west-1");
        assertThat(notified).isEmpty();
    }

    @Test
    void anAccountWithoutARoleIsNotActedIn() {
        ActionResult r = routing.execute(STOP, finding("999999999999", "us-east-1"), false);
        assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(r.detail()).isEqualTo("no role configured for account 999999999999");
        assertThat(r.type()).isEqualTo("stop-instance");
        assertThat(fake.asked).isEmpty();
        ActionResult u = routing.undo(ActionResult.of(STOP, ActionStatus.APPLIED, "d"), "999999999999", null, false);
        assertThat(u.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(u.detail()).isEqualTo("no role configured for account 999999999999");
    }

    @Test
    void undoRunsInTheRecordedAccountAndANotificationIsNotUndone() {
        ActionResult recorded = ActionResult.of(STOP, ActionStatus.APPLIED, "stopped");
        assertThat(routing.undo(recorded, "210987654321", "ap-south-1", false).detail()).isEqualTo("undone in 210987654321/ap-south-1");
        ActionResult n = routing.undo(ActionResult.of(NOTIFY, ActionStatus.APPLIED, "sent"), null, null, false);
        assertThat(n.status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(fake.asked).containsExactly("210987654321/ap-south-1");
    }

    @Test
    void aClientThatCannotBeBuiltFailsThePlanOnly() {
        AccountRoutingExecutor broken = new AccountRoutingExecutor((p, f, d) -> null, new AccountRoutingExecutor.Clients() {
            @Override
            public UndoableExecutor ec2(String account, String region) {
                throw new IllegalArgumentException("region must not be blank or empty");
            }

            @Override
            public boolean assumesRoleIn(String account) {
                return false;
            }
        }, OWN, "eu-west-1");
        ActionResult r = broken.execute(STOP, finding(OWN, "us-east-9"), false);
        assertThat(r.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(r.detail()).isEqualTo("no EC2 client for account 123456789012 in us-east-9: region must not be blank or empty");
    }

    @Test
    void throughAwsClientsTheCallReachesTheEndpointInTheFindingsRegion() {
        try (Ec2Stub stub = Ec2Stub.start();
             AwsClients clients = AwsClients.create(new AwsClients.Config(Region.EU_WEST_1, URI.create("http://127.0.0.1:" + stub.server.port()),
                     Map.of(), "vigil", Ec2Stub.FAST), StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBASEEXAMPLE", "s")))) {
            stub.answer("StopInstances", 200, corpus(LIBCLOUD + "stop_instances.xml"));
            AccountRoutingExecutor live = new AccountRoutingExecutor((p, f, d) -> null, clients, OWN, "eu-west-1");
            ActionResult r = live.execute(STOP, finding(OWN, "us-west-2"), false);
            assertThat(r.status()).isEqualTo(ActionStatus.APPLIED);
            assertThat(r.detail()).isEqualTo("stop i-2ba64342 running -> stopping");
            assertThat(stub.sent()).containsExactly(Ec2SecurityGroupCallsTest.form("StopInstances", Map.of("InstanceId.1", "i-2ba64342")));
            assertThat(stub.server.getAllServeEvents().get(0).getRequest().getHeader("Authorization")).contains("/us-west-2/ec2/aws4_request");
            assertThat(live.execute(STOP, finding("999999999999", "us-west-2"), false).detail()).isEqualTo("no role configured for account 999999999999");
            assertThat(stub.sent()).hasSize(1);
        }
    }
}
