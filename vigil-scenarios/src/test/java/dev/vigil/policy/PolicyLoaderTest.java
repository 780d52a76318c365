package dev.vigil.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.engine.Detector;
import dev.vigil.core.engine.DetectorContext;
import dev.vigil.core.engine.DetectorRegistry;
import dev.vigil.core.engine.DetectorType;
import dev.vigil.core.engine.Interest;
import dev.vigil.core.engine.RuleInfo;
import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.policy.Params;
import dev.vigil.core.policy.PolicyCompiler;
import dev.vigil.core.policy.PolicyException;
import dev.vigil.core.policy.PolicySet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyLoaderTest {
    /** A detector that reads two parameters, so unknown keys and typed errors can be tested. */
    static final class Probe implements DetectorType {
        Duration window;
        int threshold;

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public String description() {
            return "test detector";
        }

        @Override
        public List<RuleInfo> rules() {
            return List.of(new RuleInfo("probe-hit", Severity.HIGH, "a hit", List.of("revoke-ingress")));
        }

        @Override
        public Detector create(Params p) {
            window = p.duration("window", Duration.ofMinutes(10));
            threshold = p.integer("threshold", 5, 1, 1000);
            return new Detector() {
                @Override
                public Interest interest() {
                    return Interest.of(Set.of(), Set.of());
                }

                @Override
                public void onEvent(SecurityEvent event, DetectorContext ctx) {}
            };
        }
    }

    private final Probe probe = new Probe();

    private PolicySet compile(String yaml) {
        return new PolicyCompiler(new DetectorRegistry(List.of(probe))).compile(YamlPolicyReader.read("p.yaml", yaml));
    }

    private static final String TARGETS = """
            targets:
              team:
                type: slack
                webhook-url-env: SLACK_URL
            """;

    @Test
    void readsAFullPolicy() {
        PolicySet set = compile(TARGETS + """
                exemptions:
                  resources: [sg-0123456789abcdef0]
                  tags: {vigil-exempt: "true"}
                policies:
                  - name: one
                    detector: probe
                    dry-run: true
                    params: {window: 1h30m, threshold: 7}
                    responses:
                      "*": [notify]
                      probe-hit: [revoke-ingress]
                    notify: [team]
                """);
        assertThat(set.policies()).hasSize(1);
        assertThat(set.policies().get(0).dryRun()).isTrue();
        assertThat(set.policies().get(0).responsesFor("probe-hit")).containsExactly("notify", "revoke-ingress");
        assertThat(probe.window).isEqualTo(Duration.ofMinutes(90));
        assertThat(probe.threshold).isEqualTo(7);
        assertThat(set.exemptions().resources()).containsExactly("sg-0123456789abcdef0");
        assertThat(set.targets().get("team").settings()).containsEntry("webhook-url-env", "SLACK_URL");
    }

    @Test
    void unknownParameterNamesFileLineAndKey() {
        assertThatThrownBy(() -> compile("""
                policies:
                  - name: one
                    detector: probe
                    params:
                      window: 10m
                      treshold: 3
                """))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("p.yaml:6: policies[0].params.treshold: unknown key 'treshold'")
                .hasMessageContaining("threshold");
    }

    @Test
    void unknownTopLevelKeyIsAnError() {
        assertThatThrownBy(() -> compile("polices: []\n")).hasMessageStartingWith("p.yaml:1: polices: unknown key 'polices'");
    }

    @Test
    void wrongTypesSayWhatWasExpected() {
        assertThatThrownBy(() -> compile("policies:\n  - name: a\n    detector: probe\n    params: {window: soon}\n"))
                .hasMessageContaining("p.yaml:4").hasMessageContaining("window").hasMessageContaining("expected a positive duration");
        assertThatThrownBy(() -> compile("policies:\n  - name: a\n    detector: probe\n    params: {threshold: 0}\n"))
                .hasMessageContaining("p.yaml:4").hasMessageContaining("from 1 to 1000");
        assertThatThrownBy(() -> compile("policies:\n  - name: a\n    detector: probe\n    enabled: maybe\n"))
                .hasMessageContaining("p.yaml:4: policies[0].enabled: expected true or false");
    }

    @Test
    void unknownDetectorRuleResponseAndTarget() {
        assertThatThrownBy(() -> compile("policies:\n  - name: a\n    detector: nope\n"))
                .hasMessageContaining("p.yaml:3").hasMessageContaining("unknown detector 'nope'").hasMessageContaining("probe");
        assertThatThrownBy(() -> compile("policies:\n  - name: a\n    detector: probe\n    responses: {nope: [notify]}\n"))
                .hasMessageContaining("has no rule 'nope'");
        assertThatThrownBy(() -> compile("policies:\n  - name: a\n    detector: probe\n    responses: {probe-hit: [stop-instance]}\n"))
                .hasMessageContaining("response 'stop-instance' is not available");
        assertThatThrownBy(() -> compile("policies:\n  - name: a\n    detector: probe\n    notify: [team]\n"))
                .hasMessageContaining("no target named 'team'");
    }

    @Test
    void secretsAreNotAcceptedInline() {
        assertThatThrownBy(() -> compile("targets:\n  t:\n    type: slack\n    webhook-url: https://hooks.slack.com/services/X\n"))
                .hasMessageContaining("p.yaml:4").hasMessageContaining("-env")
                .hasMessageNotContaining("hooks.slack.com");
    }

    @Test
    void yamlSyntaxErrorsAndDuplicatesNameTheLine() {
        assertThatThrownBy(() -> compile("policies:\n  - name: a\n    detector: [probe\n  x: : y\n")).hasMessageStartingWith("p.yaml:").hasMessageContaining("invalid YAML");
        assertThatThrownBy(() -> compile("version: 1\nversion: 1\n")).hasMessageContaining("p.yaml:").hasMessageContaining("duplicate");
        assertThatThrownBy(() -> compile("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> compile("policies:\n  - name: a\n    detector: probe\n  - name: a\n    detector: probe\n"))
                .hasMessageContaining("used twice");
    }

    @Test
    void durationsParse() {
        PolicySet set = compile("policies:\n  - name: a\n    detector: probe\n    params: {window: PT2H}\n");
        assertThat(set.policies()).hasSize(1);
        assertThat(probe.window).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void defaultPolicyIsValid() {
        PolicySet set = Policies.defaults();
        assertThat(set.targets()).containsKey("security-team");
        // every scenario detector; sigma is not in the default policy: its rules are files a policy or --sigma names
        assertThat(set.policies().stream().map(p -> p.detector()).toList())
                .containsExactlyInAnyOrderElementsOf(Policies.registry().names().stream().filter(n -> !n.equals("sigma")).toList());
    }
}
