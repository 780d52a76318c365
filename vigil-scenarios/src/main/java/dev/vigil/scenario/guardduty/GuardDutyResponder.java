package dev.vigil.scenario.guardduty;

import dev.vigil.core.engine.Detector;
import dev.vigil.core.engine.DetectorType;
import dev.vigil.core.engine.RuleInfo;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.policy.Params;
import dev.vigil.scenario.shared.QuarantineInstance;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code guardduty-responder}: GuardDuty findings (from EventBridge or bare) become {@code guardduty-finding}
 * findings; an instance's subnets are isolated behind vigil's deny-all network ACL, once per subnet, or, for chosen
 * finding types, the instance alone is isolated with the SSH scenario's isolation group.
 */
public final class GuardDutyResponder implements DetectorType {
    public static final String NAME = "guardduty-responder";
    public static final String RULE = "guardduty-finding";

    /**
     * The policy's parameters. Defaults are those of the system this comes from: every finding type, every severity,
     * every resource type, subnet isolation for all, sample findings never acted on.
     */
    record Settings(TypePatterns types, Severity minSeverity, Set<String> resourceTypes, TypePatterns instanceTypes,
                    QuarantineInstance quarantineInstance, boolean actOnSamples, boolean reportUpdates) {

        static Settings read(Params p) {
            TypePatterns types = TypePatterns.read(p, "finding-types", List.of("*"));
            Severity min = p.severity("min-severity", Severity.LOW);
            Set<String> resources = new LinkedHashSet<>();
            for (String r : p.strings("resource-types", List.of())) {
                if (r.isBlank()) throw p.error("resource-types", "expected GuardDuty resource types such as Instance or AccessKey, found an empty value");
                resources.add(r.trim().toLowerCase(Locale.ROOT));
            }
            TypePatterns instanceTypes = TypePatterns.read(p, "quarantine-instance-for", List.of());
            QuarantineInstance qi = QuarantineInstance.read(p);
            if (!instanceTypes.isEmpty() && qi.isolationGroup() == null) {
                throw p.error("isolation-group", "is required when quarantine-instance-for is set (the security group that isolates an instance)");
            }
            return new Settings(types, min, Set.copyOf(resources), instanceTypes, qi,
                    p.bool("act-on-samples", false), p.bool("report-updates", true));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "GuardDuty findings: isolate the instance's subnets behind a deny-all network ACL (or the instance alone), exactly once";
    }

    @Override
    public List<RuleInfo> rules() {
        return List.of(new RuleInfo(RULE, Severity.MEDIUM,
                "a GuardDuty finding, severity mapped from GuardDuty's scale (<4 low, <7 medium, <9 high, else critical)",
                List.of(QuarantineSubnet.TYPE, QuarantineInstance.TYPE)));
    }

    @Override
    public Detector create(Params params) {
        return new GuardDutyRule(Settings.read(params));
    }

    @Override
    public Map<String, List<String>> iamActions() {
        return Map.of(
                QuarantineSubnet.TYPE, List.of("ec2:DescribeNetworkAcls", "ec2:DescribeInstances", "ec2:CreateNetworkAcl",
                        "ec2:CreateTags", "ec2:ReplaceNetworkAclAssociation"),
                QuarantineInstance.TYPE, List.of("ec2:DescribeInstances", "ec2:ModifyNetworkInterfaceAttribute",
                        "ec2:ModifyInstanceAttribute"));
    }
}
