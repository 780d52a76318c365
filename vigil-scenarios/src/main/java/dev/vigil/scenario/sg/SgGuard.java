package dev.vigil.scenario.sg;

import dev.vigil.core.engine.Detector;
import dev.vigil.core.engine.DetectorType;
import dev.vigil.core.engine.RuleInfo;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.policy.Params;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Security group guard: rules added to protected groups are revoked exactly; any group opened to the world is
 * flagged. Reads CloudTrail calls from EventBridge and from S3 log files alike.
 */
public final class SgGuard implements DetectorType {
    public static final String NAME = "sg-guard";
    public static final String INGRESS_CHANGED = "sg-ingress-changed";
    public static final String OPEN_TO_WORLD = "sg-open-to-world";
    public static final String REVOKE_INGRESS = "revoke-ingress";
    public static final String REVOKE_EGRESS = "revoke-egress";
    public static final String REVOKE_WORLD_OPEN = "revoke-world-open";
    /** SSH, RDP and the usual databases and caches. */
    static final List<Integer> SENSITIVE_PORTS = List.of(22, 3389, 1433, 1521, 3306, 5432, 5439, 6379, 9200, 11211, 27017, 2375, 2379);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "revokes exactly the rules added to protected security groups; flags groups opened to the world";
    }

    @Override
    public List<RuleInfo> rules() {
        return List.of(
                new RuleInfo(INGRESS_CHANGED, Severity.HIGH, "a rule was added to (or removed from) a protected security group",
                        List.of(REVOKE_INGRESS, REVOKE_EGRESS)),
                new RuleInfo(OPEN_TO_WORLD, Severity.HIGH, "a security group was opened to 0.0.0.0/0 or ::/0",
                        List.of(REVOKE_WORLD_OPEN)));
    }

    @Override
    public Map<String, List<String>> iamActions() {
        return Map.of(REVOKE_INGRESS, List.of("ec2:RevokeSecurityGroupIngress"), REVOKE_EGRESS, List.of("ec2:RevokeSecurityGroupEgress"),
                REVOKE_WORLD_OPEN, List.of("ec2:RevokeSecurityGroupIngress"));
    }

    /** Parameters, read and checked. */
    record Settings(Protection protection, Set<Integer> sensitivePorts, Severity sensitive, Severity allPorts, Severity other,
                    Severity changed, boolean reportRemovals) {}

    @Override
    public Detector create(Params p) {
        Protection protection = Protection.read(p.child("protected-groups"));
        Params w = p.child("world-open");
        Set<Integer> ports = new TreeSet<>(w.integers("sensitive-ports", SENSITIVE_PORTS, 0, 65535));
        Settings s = new Settings(protection, ports, w.severity("sensitive-severity", Severity.HIGH), w.severity("all-ports-severity", Severity.HIGH),
                w.severity("other-severity", Severity.MEDIUM), p.severity("protected-severity", Severity.HIGH),
                p.bool("report-removals", false));
        return new SgGuardDetector(s);
    }
}
