package dev.vigil.scenario.sg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.core.event.SecurityEvent;
import dev.vigil.core.finding.Finding;
import dev.vigil.core.finding.Severity;
import dev.vigil.decode.DecodeListener;
import dev.vigil.decode.DecodeOptions;
import dev.vigil.decode.InputDecoder;
import dev.vigil.testing.EngineHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** stratus-red-team's real AuthorizeSecurityGroupIngress (legacy flat form, an anonymised /0 range) through sg-guard. */
class SgGuardCorpusTest {
    static final Path DIR = Path.of("../shared/corpus/stratus-red-team/docs/detonation-logs");

    static List<SecurityEvent> decode(Path p) {
        List<SecurityEvent> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        new InputDecoder(DecodeOptions.defaults()).decode(p, new DecodeListener() {
            public void onEvent(SecurityEvent e) { out.add(e); }
            public void onError(String w, String m) { errors.add(w + ": " + m); }
        });
        assertThat(errors).isEmpty();
        return out;
    }

    @Test
    void openPort22RecordGivesOneWorldOpenFindingAndNothingElseInTheCorpus() {
        assumeTrue(Files.isDirectory(DIR), "stratus-red-team corpus absent: skipped");
        String protect = SgGuardTest.POLICY.replace("ids: [sg-0123456789abcdef0]", "ids: [sg-003dc7f1f1c686164]");
        EngineHarness h = EngineHarness.of(protect).feed(decode(DIR));
        assertThat(h.problems).isEmpty();
        Finding world = h.findings(SgGuard.OPEN_TO_WORLD).get(0);
        assertThat(h.findings(SgGuard.OPEN_TO_WORLD)).hasSize(1);
        assertThat(world.severity()).isEqualTo(Severity.HIGH);
        assertThat(world.resource()).isEqualTo("sg-003dc7f1f1c686164");
        assertThat(world.summary()).contains("tcp 22 from 208.236.235.254/0").contains("arn:aws:iam::032092706103:user/christophe");
        // the group is protected here: the exact inverse is the rule id EC2 returned
        Finding changed = h.findings(SgGuard.INGRESS_CHANGED).get(0);
        assertThat(changed.actions()).filteredOn(a -> a.type().equals(SgGuard.REVOKE_INGRESS)).singleElement()
                .satisfies(a -> assertThat(a.params()).containsEntry("SecurityGroupRuleId", List.of("sgr-09b3e3d2ca1edf2a2")));
        assertThat(h.findings).hasSize(2);
    }
}
