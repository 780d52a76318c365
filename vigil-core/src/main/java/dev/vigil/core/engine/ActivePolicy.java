package dev.vigil.core.engine;

import dev.vigil.core.policy.PolicyDef;

/** An enabled policy with its running detector. */
public record ActivePolicy(PolicyDef def, Detector detector) {
    public String name() {
        return def.name();
    }
}
