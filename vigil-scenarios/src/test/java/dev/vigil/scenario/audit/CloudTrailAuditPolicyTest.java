package dev.vigil.scenario.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.inventory.StaticInventory;
import dev.vigil.core.policy.PolicyException;
import dev.vigil.policy.Policies;
import dev.vigil.testing.EngineHarness;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The detector's parameters: defaults, the default policy entry, and errors that name the key. */
class CloudTrailAuditPolicyTest {

    @Test
    void theDefaultPolicyRunsTheAuditorWithOwnerRequired() {
        var h = EngineHarness.defaults(StaticInventory.empty());
        assertThat(h.policies.enabled()).anySatisfy(p -> assertThat(p.detector()).isEqualTo("cloudtrail-audit"));
        h.feed(Trail.run("2024-05-06T10:00:00Z", Trail.ALICE, List.of("i-0123456789abcdef0"), "Name=web"),
                Trail.createUser("2024-05-04T02:00:00Z", Trail.ALICE, "night-user"));
        h.finish(java.time.Instant.parse("2024-05-06T10:10:00Z"));
        assertThat(h.findings("ec2-missing-required-tags")).hasSize(1);
        assertThat(h.findings("iam-user-created-off-hours")).hasSize(1);
        assertThat(h.findings("ec2-missing-required-tags").get(0).actions()).extracting(a -> a.type()).containsOnly("notify");
    }

    @Test
    void rulesCanBeSwitchedOffAndThenTheirCallsAreNotRead() {
        AuditRun tagsOnly = new AuditRun("rules: [ec2-missing-required-tags]\n", StaticInventory.empty());
        assertThat(tagsOnly.detector.interest().calls()).contains("RunInstances", "CreateTags", "DeleteTags").doesNotContain("CreateUser");
        AuditRun none = new AuditRun("required-tags: []\nrules: [ec2-missing-required-tags]\n", StaticInventory.empty());
        assertThat(none.detector.interest().calls()).isEmpty();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "required-tags: [{key: Env, values: [a], pattern: 'a'}] | not both",
        "required-tags: [{key: Env, colour: red}]               | unknown key 'colour'",
        "required-tags: [{values: [a]}]                         | is required",
        "required-tags: [Owner, Owner]                          | listed twice",
        "required-tags: Owner                                   | expected a list",
        "required-tags: [{key: Env, pattern: '(['}]             | invalid regular expression",
        "rules: [sg-open-to-world]                              | expected ec2-missing-required-tags",
        "grace-period: soon                                     | positive duration",
        "office-hours: {zone: Mars/Olympus}                     | IANA time zone",
        "office-hours: {start: '09:00', end: '09:00'}           | must differ",
        "office-hours: {days: [funday]}                         | day names",
        "office-hours: {holidays: [25/12/2024]}                 | YYYY-MM-DD",
        "office-hours: {lunch: '12:00'}                         | unknown key 'lunch'",
        "off-hours-severity: dire                               | expected info, low",
        "colour: red                                            | unknown key 'colour'",
    })
    void badParametersAreErrorsNamingTheKey(String params, String message) {
        assertThatThrownBy(() -> new AuditRun(params + "\n", StaticInventory.empty()))
                .isInstanceOf(PolicyException.class).hasMessageContaining(message);
    }

    @Test
    void theRuleTableListsBothRulesAtMedium() {
        var type = Policies.registry().find("cloudtrail-audit").orElseThrow();
        assertThat(type.rules()).extracting(r -> r.id()).containsExactly("ec2-missing-required-tags", "iam-user-created-off-hours");
        assertThat(type.rules()).allSatisfy(r -> assertThat(r.severity().label()).isEqualTo("medium"));
    }
}
