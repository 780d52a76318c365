package dev.vigil.scenario;

import dev.vigil.core.engine.DetectorRegistry;
import dev.vigil.core.engine.DetectorType;
import java.util.List;

/** The explicit list of built-in detectors. Adding a scenario is one line here and one entry in the default policy. */
public final class Detectors {
    private Detectors() {}

    public static List<DetectorType> all() {
        return List.of(
                // scenario detectors, one per line (keep this order: it is the order of `vigil policy default`)
                new dev.vigil.scenario.bastion.BastionWatch(),
                new dev.vigil.scenario.ssh.SshIntrusion(),
                new dev.vigil.scenario.sg.SgGuard(),
                new dev.vigil.scenario.guardduty.GuardDutyResponder(),
                new dev.vigil.scenario.audit.CloudTrailAudit(),
                new dev.vigil.scenario.sigma.Sigma()
        );
    }

    public static DetectorRegistry registry() {
        return new DetectorRegistry(all());
    }
}
