package dev.vigil.core.engine;

import dev.vigil.core.policy.Params;
import java.util.List;

/**
 * A built-in detector, as the policy file names it ({@code detector: ssh-intrusion}). {@link #create} reads the
 * policy's {@code params}; the registry calls {@link Params#finish()} afterwards, so unread keys are errors.
 */
public interface DetectorType {
    String name();

    String description();

    List<RuleInfo> rules();

    Detector create(Params params);

    /** The rules of a detector made from a policy's params (a detector whose rules come from files lists them here). */
    default List<RuleInfo> rules(Detector created) {
        return rules();
    }

    /**
     * Names a policy's {@code responses} map may use for a group of rules (a Sigma tag such as {@code attack.t1098}),
     * each with the rule ids it stands for; the compiler expands them into the rules' own entries.
     */
    default java.util.Map<String, List<String>> ruleGroups(Detector created) {
        return java.util.Map.of();
    }

    /** The IAM actions each response needs, by response name (for least-privilege policies). */
    default java.util.Map<String, List<String>> iamActions() {
        return java.util.Map.of();
    }
}
