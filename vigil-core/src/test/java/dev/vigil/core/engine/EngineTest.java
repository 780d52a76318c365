package dev.vigil.core.engine;

import dev.vigil.testing.EngineRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.event.AccountId;
import dev.vigil.core.event.CloudTrailCall;
import dev.vigil.core.event.Origin;
import dev.vigil.core.event.Principal;
import dev.vigil.core.event.Region;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.Exemptions;
import dev.vigil.core.policy.PolicyDef;
import dev.vigil.core.policy.PolicyNode;
import dev.vigil.core.policy.SelfIdentity;
import dev.vigil.core.response.Executor;
import dev.vigil.core.response.InMemoryActionLedger;
import dev.vigil.core.response.Responder;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngineTest {
    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    static CloudTrailCall call(String id, Instant t, String name, String principalArn) {
        return new CloudTrailCall(id, t, AccountId.of("111122223333"), Region.of("us-east-1"), Origin.record("f.json", 1),
                "ec2.amazonaws.com", name, new Principal("AssumedRole", principalArn, "111122223333", null, null, null),
                "198.51.100.7", "aws-cli", null, null, MissingNode.getInstance(), MissingNode.getInstance(), false);
    }

    /** Sets a one-hour timer on every call; reports when it fires; proposes a revoke on "Hit" calls; throws on "Boom". */
    static final class Probe implements Detector {
        final List<Instant> fired = new ArrayList<>();

        @Override
        public Interest interest() {
            return Interest.of(Set.of(CloudTrailCall.class), Set.of("*"));
        }

        @Override
        public void onEvent(SecurityEvent event, DetectorContext ctx) {
            CloudTrailCall c = (CloudTrailCall) event;
            if (c.eventName().equals("Boom")) throw new IllegalStateException("rule bug");
            if (c.eventName().equals("Hit")) {
                ctx.report(FindingDraft.of("probe-hit", Severity.HIGH).from(c).resource("sg-0123456789abcdef0").summary("hit")
                        .propose(new ActionPlan("revoke-ingress", "sg-0123456789abcdef0", Map.of("Action", "RevokeSecurityGroupIngress"),
                                "revoke", "revoke:sg-0123456789abcdef0", true)));
            }
            ctx.schedule("t:" + c.id(), c.time().plus(Duration.ofHours(1)), Map.of("id", c.id()));
        }

        @Override
        public void onTimer(Timer timer, DetectorContext ctx) {
            fired.add(ctx.now());
            ctx.report(FindingDraft.of("probe-timer", Severity.INFO).time(ctx.now()).resource(timer.data().get("id")).summary("timer"));
        }
    }

    final List<Finding> out = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    final Probe probe = new Probe();

    EngineRun engine(boolean dryRun, Exemptions ex) {
        PolicyDef def = new PolicyDef("p", "probe", true, dryRun, PolicyNode.emptyMap("f", 1, "params"),
                Map.of("*", List.of("revoke-ingress")), List.of(), ex, "f:1");
        Responder r = new Responder(new SelfIdentity(List.of("arn:aws:iam::111122223333:role/vigil"), "vigil"), Exemptions.NONE, Map.of(),
                new InMemoryActionLedger(), Executor.planning(), StaticInventory.empty());
        return EngineRun.of(List.of(new ActivePolicy(def, probe)), new InMemoryTimerStore(), StaticInventory.empty(), r, out::add,
                (w, m) -> problems.add(w + ": " + m));
    }

    @Test
    void timersFireInEventTimeWhenALaterEventPassesThem() {
        EngineRun e = engine(false, Exemptions.NONE);
        e.accept(call("a", T0, "Describe", "arn:x"));
        e.accept(call("b", T0.plus(Duration.ofMinutes(59)), "Describe", "arn:x"));
        assertThat(probe.fired).isEmpty();
        e.accept(call("c", T0.plus(Duration.ofMinutes(61)), "Describe", "arn:x"));
        assertThat(probe.fired).containsExactly(T0.plus(Duration.ofHours(1)));
        assertThat(out).extracting(Finding::resource).containsExactly("a");
        assertThat(out.get(0).time()).isEqualTo(T0.plus(Duration.ofHours(1)));
        e.finish(T0.plus(Duration.ofHours(3)));
        assertThat(out).extracting(Finding::resource).containsExactly("a", "b", "c");
    }

    @Test
    void finishWithoutUntilFiresOnlyUpToTheLastEvent() {
        EngineRun e = engine(false, Exemptions.NONE);
        e.accept(call("a", T0, "Describe", "arn:x"));
        e.finish(null);
        assertThat(out).isEmpty();
    }

    @Test
    void aThrowingRuleIsReportedNotSilent() {
        EngineRun e = engine(false, Exemptions.NONE);
        e.accept(call("a", T0, "Boom", "arn:x"));
        assertThat(problems).singleElement().asString().contains("f.json record 1").contains("policy p").contains("rule bug");
        assertThat(e.ruleErrors()).isEqualTo(1);
    }

    @Test
    void duplicateEventsAreHandledOnce() {
        EngineRun e = engine(false, Exemptions.NONE);
        e.accept(call("a", T0, "Hit", "arn:x"));
        e.accept(call("a", T0, "Hit", "arn:x"));
        assertThat(out).hasSize(1);
        assertThat(e.duplicates()).isEqualTo(1);
    }

    @Test
    void secondIdenticalChangeIsAlreadyApplied() {
        EngineRun e = engine(false, Exemptions.NONE);
        e.accept(call("a", T0, "Hit", "arn:x"));
        e.accept(call("b", T0.plusSeconds(1), "Hit", "arn:x"));
        assertThat(out).extracting(f -> f.actions().get(0).status()).containsExactly(ActionStatus.PLANNED, ActionStatus.ALREADY_APPLIED);
    }

    @Test
    void ownCallsExemptionsAndDryRunNeverAct() {
        EngineRun e = engine(false, Exemptions.NONE);
        e.accept(call("a", T0, "Hit", "arn:aws:sts::111122223333:assumed-role/vigil/vigil"));
        assertThat(out.get(0).actions().get(0).status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(out.get(0).actions().get(0).detail()).contains("vigil's own principal");

        out.clear();
        EngineRun ex = engine(false, new Exemptions(Set.of("sg-0123456789abcdef0"), Map.of()));
        ex.accept(call("b", T0, "Hit", "arn:x"));
        assertThat(out.get(0).actions().get(0).status()).isEqualTo(ActionStatus.SKIPPED);
        assertThat(out.get(0).actions().get(0).detail()).startsWith("exempt");

        out.clear();
        EngineRun dry = engine(true, Exemptions.NONE);
        dry.accept(call("c", T0, "Hit", "arn:x"));
        assertThat(out.get(0).actions().get(0).status()).isEqualTo(ActionStatus.PLANNED);
        assertThat(out.get(0).actions().get(0).detail()).startsWith("dry-run");
    }
}
