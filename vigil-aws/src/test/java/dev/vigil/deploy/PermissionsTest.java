package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.engine.DetectorType;
import dev.vigil.core.engine.RuleInfo;
import dev.vigil.core.finding.ActionResult;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.policy.PolicySet;
import dev.vigil.output.ReportWriter;
import dev.vigil.output.RunSummary;
import dev.vigil.policy.Policies;
import dev.vigil.replay.Replay;
import dev.vigil.replay.ReplayOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, checked against what the engine really plans: the examples are replayed through the real engine
 * with every response switched on, and every EC2 action of every plan, step and undo must be granted; nothing granted
 * is broader than an action the scenarios can send.
 */
class PermissionsTest {
    /** The examples' policy with every response on (stop-instance, revoke-egress, quarantine-instance for GuardDuty). */
    static PolicySet everythingOn() throws IOException {
        String text = Files.readString(Path.of("examples/policy.yaml"))
                .replace("      \"*\": [notify]\n    notify: [security-sns]\n\n  - name: ssh",
                        "      \"*\": [notify]\n      bastion-uptime-exceeded: [stop-instance]\n    notify: [security-sns]\n\n  - name: ssh")
                .replace("sg-ingress-changed: [revoke-ingress]", "sg-ingress-changed: [revoke-ingress, revoke-egress]")
                .replace("guardduty-finding: [quarantine-subnet, notify]", "guardduty-finding: [quarantine-subnet, quarantine-instance, notify]");
        PolicySet set = Policies.parse("everything-on.yaml", text);
        assertThat(text).contains("[stop-instance]", "revoke-egress", "quarantine-instance, notify");
        return set;
    }

    /** Response type -> EC2 actions ("ec2:X") its plans, steps and undos carry, from a replay of {@code inputs}. */
    static Map<String, Set<String>> plannedActions(PolicySet set, List<Path> inputs) {
        Map<String, Set<String>> out = new TreeMap<>();
        ReportWriter w = new ReportWriter() {
            @Override
            public void finding(Finding f) {
                for (ActionResult a : f.actions()) {
                    // notify, and responses with no plan (skipped: nothing of that kind to revert) send no EC2 call
                    if (a.type().equals("notify") || a.params().isEmpty()) continue;
                    Set<String> s = out.computeIfAbsent(a.type(), k -> new TreeSet<>());
                    collect(a.params(), s);
                    collect(a.undo(), s);
                }
            }

            @Override
            public void summary(RunSummary s) {}
        };
        List<String> problems = new ArrayList<>();
        new Replay(set, w, (where, msg) -> problems.add(where + ": " + msg), Replay.Progress.NONE)
                .run(new ReplayOptions(null, List.of(), inputs, null, null, false, null, null));
        assertThat(problems).isEmpty();
        return out;
    }

    private static void collect(Object o, Set<String> into) {
        if (o instanceof Map<?, ?> m) {
            if (m.get("Action") instanceof String a) into.add("ec2:" + a);
            m.values().forEach(v -> collect(v, into));
        } else if (o instanceof List<?> l) {
            l.forEach(v -> collect(v, into));
        }
    }

    @Test
    void everyActionAPlannedResponseSendsIsGranted() throws Exception {
        PolicySet set = everythingOn();
        Map<String, Set<String>> planned = plannedActions(set, List.of(Path.of("examples")));
        Map<String, Set<String>> escalate = plannedActions(Policies.load(Path.of("examples/ssh/policy-escalate.yaml")), List.of(Path.of("examples/ssh")));
        escalate.forEach((k, v) -> planned.computeIfAbsent(k, x -> new TreeSet<>()).addAll(v));
        System.out.println("planned by the examples: " + planned);
        // the examples exercise these responses; a change that stops them doing so should be noticed here
        assertThat(planned.keySet()).contains("unblock-source", "quarantine-instance", "quarantine-subnet", "revoke-ingress", "revoke-world-open",
                "block-source", "stop-instance");

        Set<String> granted = Templates.functionActions(Templates.template(set, false));
        granted.addAll(Templates.functionActions(Templates.template(Policies.load(Path.of("examples/ssh/policy-escalate.yaml")), false)));
        planned.forEach((response, actions) -> {
            assertThat(actions).as(response).isNotEmpty();
            Set<String> registry = new TreeSet<>(ResponsePermissions.ec2Actions(response));
            registry.addAll(ResponsePermissions.LOOKUPS);
            assertThat(registry).as("registry for " + response).containsAll(actions);
            assertThat(granted).as("granted for " + response).containsAll(actions);
        });
    }

    @Test
    void nothingBroaderThanTheScenariosCanSend() throws Exception {
        JsonNode t = Templates.template(everythingOn(), true);
        List<JsonNode> statements = Templates.statements(t);
        assertThat(statements).hasSizeGreaterThan(10);
        for (JsonNode s : statements) {
            assertThat(s.path("Effect").asText()).isEqualTo("Allow");
            assertThat(Templates.actions(s)).as(s.toString()).isNotEmpty().noneMatch(a -> a.contains("*"));
        }
        // every EC2 action granted appears as an "Action" literal in the scenarios' sources (a plan or undo they write),
        // or is a documented look-up, or CreateTags (EC2 authorizes a Create call's TagSpecification as CreateTags)
        Set<String> sent = actionLiterals(Path.of("vigil-scenarios/src/main/java/dev/vigil/scenario"));
        assertThat(sent).contains("StopInstances", "ReplaceNetworkAclAssociation");
        for (String a : Templates.functionActions(t)) {
            if (!a.startsWith("ec2:") || ResponsePermissions.LOOKUPS.contains(a) || a.equals("ec2:CreateTags")) continue;
            assertThat(sent).as(a).contains(a.substring(4));
        }
        // only the Describe calls (no resource-level permissions in EC2) take Resource "*"
        for (JsonNode s : statements) {
            if (s.get("Resource") != null && s.get("Resource").toString().equals("[\"*\"]")) {
                assertThat(Templates.actions(s)).allMatch(a -> a.startsWith("ec2:Describe"));
            }
        }
    }

    @Test
    void registryKnowsEveryResponseAndAgreesWithTheDetectors() {
        for (DetectorType d : Policies.registry().all()) {
            for (RuleInfo r : d.rules()) {
                for (String response : r.responses()) assertThat(ResponsePermissions.known(response)).as(d.name() + " " + response).isTrue();
            }
            // the detectors' own hints (DetectorType.iamActions) are covered by the registry
            d.iamActions().forEach((response, actions) -> {
                Set<String> have = new TreeSet<>(ResponsePermissions.ec2Actions(response));
                have.addAll(ResponsePermissions.LOOKUPS);
                assertThat(have).as(response).containsAll(actions);
            });
        }
    }

    @Test
    void disablingAPolicyRemovesItsPermissions() throws Exception {
        Set<String> all = Templates.functionActions(Templates.template(Templates.examplesPolicy(), false));
        Set<String> noSg = Templates.functionActions(Templates.template(Templates.examplesPolicyWithout("admin-groups"), false));
        Set<String> noGd = Templates.functionActions(Templates.template(Templates.examplesPolicyWithout("guardduty"), false));
        Set<String> noSsh = Templates.functionActions(Templates.template(Templates.examplesPolicyWithout("ssh", "guardduty"), false));
        assertThat(all).contains("ec2:RevokeSecurityGroupIngress", "ec2:ReplaceNetworkAclAssociation", "ec2:CreateNetworkAclEntry");
        assertThat(noSg).doesNotContain("ec2:RevokeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupIngress").contains("ec2:CreateNetworkAclEntry");
        assertThat(noGd).doesNotContain("ec2:ReplaceNetworkAclAssociation", "ec2:CreateNetworkAcl");
        assertThat(noSsh).doesNotContain("ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAclEntry", "ec2:ModifyNetworkInterfaceAttribute");
        assertThat(Templates.functionActions(Templates.template(everythingOn(), false))).contains("ec2:StopInstances", "ec2:StartInstances");
        assertThat(all).doesNotContain("ec2:StopInstances");
    }

    @Test
    void aNotifyOnlyPolicyStillLooksTheAccountUpAndChangesNothing() throws Exception {
        // bastion-watch only notifies, but needs the instances' tags: the functions describe the account at each cold start
        Set<String> bastionsOnly = Templates.functionActions(Templates.template(
                Templates.examplesPolicyWithout("ssh", "admin-groups", "guardduty", "audit"), false));
        assertThat(bastionsOnly).contains("ec2:DescribeInstances", "ec2:DescribeSecurityGroups", "ec2:DescribeNetworkAcls");
        assertThat(bastionsOnly).filteredOn(a -> a.startsWith("ec2:")).allMatch(a -> a.startsWith("ec2:Describe"));
    }

    static Set<String> actionLiterals(Path dir) throws IOException {
        Pattern p = Pattern.compile("put\\(\"Action\", \"([A-Za-z]+)\"\\)|\"Authorize([A-Za-z]+)\"");
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
                Matcher m = p.matcher(Files.readString(f));
                while (m.find()) out.add(m.group(1) != null ? m.group(1) : "Authorize" + m.group(2));
            }
        }
        return out;
    }
}
