package dev.vigil.scenario.bastion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.PolicyDef;
import dev.vigil.core.policy.PolicyException;
import dev.vigil.policy.Policies;
import dev.vigil.testing.EngineHarness;
import org.junit.jupiter.api.Test;

/** The policy entry: defaults, checked parameters, responses. */
class BastionPolicyTest {

    @Test
    void theDefaultPolicyWatchesBastionsWithStopInstanceOff() {
        PolicyDef def = Policies.defaults().policies().stream().filter(p -> p.detector().equals(BastionWatch.NAME)).findFirst().orElseThrow();
        assertThat(def.enabled()).isTrue();
        assertThat(def.responsesFor(BastionWatch.UPTIME)).containsExactly("notify");
        assertThat(def.notifyTargets()).containsExactly("security-team");
        assertThat(Policies.registry().find(BastionWatch.NAME).orElseThrow().iamActions())
                .containsEntry(BastionWatch.STOP_INSTANCE, java.util.List.of("ec2:StopInstances"));
    }

    @Test
    void badParametersAreErrorsNamingTheKey() {
        assertThatThrownBy(() -> Bastions.harness("instances: [web-1]", StaticInventory.empty()))
                .isInstanceOf(PolicyException.class).hasMessageContaining("instances").hasMessageContaining("web-1");
        assertThatThrownBy(() -> Bastions.harness("treshold: 48h", StaticInventory.empty()))
                .isInstanceOf(PolicyException.class).hasMessageContaining("unknown key 'treshold'");
        assertThatThrownBy(() -> Bastions.harness("daily-report: {zone: Mars/Olympus}", StaticInventory.empty()))
                .isInstanceOf(PolicyException.class).hasMessageContaining("zone");
        assertThatThrownBy(() -> Bastions.harness("daily-report: {time: 25:00}", StaticInventory.empty()))
                .isInstanceOf(PolicyException.class).hasMessageContaining("time");
        assertThatThrownBy(() -> Bastions.harness("expected-count: -1", StaticInventory.empty()))
                .isInstanceOf(PolicyException.class).hasMessageContaining("expected-count");
        assertThatThrownBy(() -> Bastions.harness("repeat: 0s", StaticInventory.empty()))
                .isInstanceOf(PolicyException.class).hasMessageContaining("repeat");
        assertThatThrownBy(() -> Bastions.harness("tag-key: \"\"", StaticInventory.empty()))
                .isInstanceOf(PolicyException.class).hasMessageContaining("tag-key");
    }

    @Test
    void stopInstanceIsAResponseOfTheUptimeRuleOnly() {
        assertThatThrownBy(() -> EngineHarness.of("""
                policies:
                  - name: b
                    detector: bastion-watch
                    responses: {bastion-running: [stop-instance]}
                    notify: [security-team]
                """)).isInstanceOf(PolicyException.class).hasMessageContaining("stop-instance");
    }
}
