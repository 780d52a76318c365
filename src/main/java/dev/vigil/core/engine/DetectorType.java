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

    /** The IAM actions each response needs, by response name (for least-privilege policies). */
    default java.util.Map<String, List<String>> iamActions() {
        return java.util.Map.of();
    }
}
