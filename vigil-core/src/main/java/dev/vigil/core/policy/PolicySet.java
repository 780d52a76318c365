package dev.vigil.core.policy;

import java.util.List;
import java.util.Map;

/** A whole policy file, checked. */
public record PolicySet(String file, SelfIdentity self, Map<String, TargetDef> targets, Exemptions exemptions, List<PolicyDef> policies,
                        LiveSettings live) {
    public PolicySet {
        targets = Map.copyOf(targets);
        policies = List.copyOf(policies);
        live = live == null ? LiveSettings.DEFAULTS : live;
    }

    public PolicySet(String file, SelfIdentity self, Map<String, TargetDef> targets, Exemptions exemptions, List<PolicyDef> policies) {
        this(file, self, targets, exemptions, policies, LiveSettings.DEFAULTS);
    }

    public List<PolicyDef> enabled() {
        return policies.stream().filter(PolicyDef::enabled).toList();
    }
}
