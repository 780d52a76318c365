package dev.vigil.scenario.guardduty;

import static dev.vigil.scenario.guardduty.GdFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.finding.ActionPlan;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.ActionStatus;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.FindingDraft;
import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.PolicyDef;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.core.response.ActionLedger;
import dev.vigil.core.response.Executor;
import dev.vigil.core.response.InMemoryActionLedger;
import dev.vigil.core.response.Responder;
import dev.vigil.policy.Policies;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two workers (two Lambda invocations, say) each handle a finding for the same subnet at the same moment, sharing
 * one ledger: the subnet claim lets exactly one of them send CreateNetworkAcl.
 */
class ConcurrentFindingsTest {

    @Test
    void twoSimultaneousFindingsForOneSubnetCreateOneAcl() throws Exception {
        StaticInventory inv = StaticInventory.empty().add(instance(MINER, null, "running", SUBNET_A))
                .add(instance(WEB, null, "running", SUBNET_A)).add(defaultAcl(SUBNET_A));
        PolicySet set = Policies.parse("t.yaml", GuardDutyResponderTest.POLICY.formatted("").replace("notify: [security-team]", ""));
        PolicyDef def = set.enabled().get(0);
        ActionLedger ledger = new InMemoryActionLedger();
        AtomicInteger creates = new AtomicInteger();
        Executor slowEc2 = (plan, finding, dryRun) -> {
            if (plan.params().toString().contains("CreateNetworkAcl")) creates.incrementAndGet();
            sleep(50); // the call is in flight while the other worker decides
            return ActionResult.of(plan, ActionStatus.APPLIED, plan.detail());
        };
        for (int round = 0; round < 20; round++) {
            creates.set(0);
            ledger = new InMemoryActionLedger();
            List<Finding> out = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> workers = new ArrayList<>();
            List<Runnable> held = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch go = new CountDownLatch(1);
            for (String inst : List.of(MINER, WEB)) {
                Responder r = new Responder(set.self(), set.exemptions(), set.targets(), ledger, slowEc2, inv);
                GuardDutyRule rule = new GuardDutyRule(GuardDutyResponder.Settings.read(
                        dev.vigil.core.policy.Params.of(def.params())));
                Capture ctx = new Capture(inv);
                rule.onEvent(finding(detail("f-" + inst, BITCOIN, 8, inst, 1, SUBNET_A), T0), ctx);
                FindingDraft draft = ctx.drafts.get(0);
                assertThat(draft.proposals()).extracting(ActionPlan::idempotencyKey).containsExactly("quarantine-subnet:" + SUBNET_A);
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    try {
                        out.add(r.respond(draft, def, T0));
                    } catch (dev.vigil.core.response.ClaimHeldElsewhere e) {
                        held.add(() -> out.add(r.respond(draft, def, T0))); // its message comes back: answered again later
                    }
                }));
            }
            go.countDown(); // both workers respond at the same moment
            for (Thread t : workers) t.join();
            held.forEach(Runnable::run); // the other's claim was in flight: answered again once it completed
            assertThat(creates.get()).as("round " + round).isEqualTo(1);
            assertThat(out).flatExtracting(Finding::actions).filteredOn(a -> a.type().equals("quarantine-subnet")).extracting(ActionResult::status)
                    .containsExactlyInAnyOrder(ActionStatus.APPLIED, ActionStatus.ALREADY_APPLIED);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
